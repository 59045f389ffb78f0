"""The articles the bot knows, loaded from knowledge/."""
