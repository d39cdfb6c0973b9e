"""The shipped questionnaires, installed as the package `zet_tui.questionnaires`.

This file only lets Python (and `importlib.resources`) find the Markdown files
next to it in an installed zet-tui; evaluators can leave it alone. See
setup.py for the mapping and README.md here for the questionnaire format.
"""
