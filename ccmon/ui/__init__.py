"""The Textual app. Imported only by the commands that show a screen."""
