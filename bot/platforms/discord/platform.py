"""Discord behind the platform seam. Light on purpose: discord.py loads only when Discord runs or posts."""

from __future__ import annotations

import argparse
import logging

log = logging.getLogger("bot.platforms.discord")


class DiscordPlatform:
    name = "discord"
    title = "Discord"
    run_hint = post_hint = "DISCORD_TOKEN"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """No options: everything comes from the settings."""

    def not_runnable(self, settings) -> str | None:
        return None if settings.discord_token else "not configured (DISCORD_TOKEN is not set)"

    def can_post(self, settings) -> bool:
        return bool(settings.discord_token)

    async def run(self, settings, briefer, options: argparse.Namespace) -> None:
        from bot.platforms.discord.client import serve_discord

        log.info("Discord: starting")
        await serve_discord(settings, briefer, message_content=settings.discord_message_content)

    def digest_poster(self, settings, pacer):
        from bot.platforms.discord.digest_poster import discord_digest_poster

        return discord_digest_poster(settings, pacer)
