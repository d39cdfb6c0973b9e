"""Subcommands of `zet`. Each module has `register(subparsers, common)`.

Textual is imported only inside the command that opens the TUI, so scriptable
commands start fast.
"""

COMMAND_MODULES: tuple[str, ...] = (
    "zet_tui.commands.questionnaires",
    "zet_tui.commands.evaluations",
    "zet_tui.commands.start",
    "zet_tui.commands.demo",
    "zet_tui.commands.export",
    "zet_tui.commands.terms",
    "zet_tui.commands.coverage",
    "zet_tui.commands.review",
    "zet_tui.commands.feedback",
    "zet_tui.commands.merge",
    "zet_tui.commands.serve",
    "zet_tui.commands.purge",
    "zet_tui.commands.backup",
    "zet_tui.commands.codebook",
    "zet_tui.commands.coding",
    "zet_tui.commands.case_analysis",
    "zet_tui.commands.analyse",
    "zet_tui.commands.regio",
)
