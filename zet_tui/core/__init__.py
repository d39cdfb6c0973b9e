"""Headless core: questionnaire, store, interview engine, analysis. Never imports Textual."""
