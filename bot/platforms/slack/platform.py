"""Slack behind the platform seam. Light on purpose: slack-bolt loads only when Slack runs or posts."""

from __future__ import annotations

import argparse
import logging

log = logging.getLogger("bot.platforms.slack")


class SlackPlatform:
    name = "slack"
    title = "Slack"
    run_hint = "SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN)"
    post_hint = "SLACK_BOT_TOKEN"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--socket", dest="mode", action="store_const", const="socket", help="Socket Mode")
        mode.add_argument("--http", dest="mode", action="store_const", const="http", help="HTTP mode (Events API)")
        parser.add_argument("--host", default="127.0.0.1", help="HTTP mode: address to bind (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=3000, help="HTTP mode: port (default 3000)")
        parser.set_defaults(mode="auto")

    def not_runnable(self, settings) -> str | None:
        if not settings.slack_bot_token:
            return "not configured (SLACK_BOT_TOKEN is not set)"
        if not (settings.slack_app_token or settings.slack_signing_secret):
            return "adapter not started: set SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)"
        return None

    def can_post(self, settings) -> bool:
        return bool(settings.slack_bot_token)

    async def run(self, settings, briefer, options: argparse.Namespace) -> None:
        from bot.platforms.slack.app import resolve_mode, serve_slack

        mode = resolve_mode(settings, options.mode)
        log.info("Slack: %s", "Socket Mode" if mode == "socket" else f"HTTP mode on {options.host}:{options.port}")
        await serve_slack(settings, briefer, mode=mode, host=options.host, port=options.port)

    def digest_poster(self, settings, pacer):
        from bot.platforms.slack.digest_poster import slack_digest_poster

        return slack_digest_poster(settings, pacer)
