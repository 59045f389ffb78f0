"""A toy chat platform, built only through the platform seam (bot.platforms.base)."""
