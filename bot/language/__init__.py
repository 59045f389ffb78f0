"""Languages: which ones the bot speaks, detecting a question's, the bot's own phrases, text cleaning."""
