"""zet-tui: a chat-style guided interview assistant for ZET evaluations."""

__version__ = "0.1.0"
