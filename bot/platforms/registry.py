"""Every chat platform the bot speaks on. Adding one: its folder, and one line here."""

from __future__ import annotations

from bot.platforms.base import Platform
from bot.platforms.discord.platform import DiscordPlatform
from bot.platforms.slack.platform import SlackPlatform

PLATFORMS: list[Platform] = [
    SlackPlatform(),
    DiscordPlatform(),
]
