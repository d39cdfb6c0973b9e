"""Package layout that pyproject.toml cannot express on its own.

The questionnaires stay in `questionnaires/` at the top of the repository, where
evaluators find and edit them; a wheel ships them inside the package as
`zet_tui.questionnaires`, read with `importlib.resources`. An editable install
(`scripts/run`, `scripts/test`) maps the same name onto the folder, so an edit
is live without reinstalling. Every other package under `zet_tui/` is found
automatically, so a new subpackage needs no change here.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["zet_tui", "zet_tui.*"]), "zet_tui.questionnaires"],
    package_dir={"zet_tui.questionnaires": "questionnaires"},
    package_data={"zet_tui": ["app/*.tcss", "py.typed"], "zet_tui.questionnaires": ["*.md"]},
)
