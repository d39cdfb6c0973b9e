"""The Textual layer: screens and widgets over the headless core."""
