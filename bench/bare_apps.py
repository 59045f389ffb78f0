"""The floor for ``bench/process_footprint.py``: the smallest slack-bolt and discord.py apps that
answer a mention with a fixed string, configured from the same environment variables as briefbot.

    python bench/bare_apps.py slack-http --port 3000   # bolt's own aiohttp server, /slack/events
    python bench/bare_apps.py slack-socket             # bolt over Socket Mode (SLACK_APP_TOKEN)
    python bench/bare_apps.py discord                  # a discord.py client (DISCORD_TOKEN)
"""

from __future__ import annotations

import argparse
import asyncio
import os

ANSWER = "Fixed answer from a bare app."


def slack_app():
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = AsyncApp(client=client, signing_secret=os.environ.get("SLACK_SIGNING_SECRET", ""))

    @app.event("app_mention")
    async def mentioned(event, say):
        await say(ANSWER, thread_ts=event["ts"])

    return app


async def slack_socket() -> None:
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    await AsyncSocketModeHandler(slack_app(), os.environ["SLACK_APP_TOKEN"]).start_async()


def discord_client():
    import discord
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    Route.BASE = os.environ["DISCORD_API_URL"].rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    client = discord.Client(intents=discord.Intents.default())

    @client.event
    async def on_message(message):
        if client.user in message.mentions:
            await message.reply(ANSWER)

    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=("slack-http", "slack-socket", "discord"))
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args()
    if args.app == "slack-http":
        slack_app().start(port=args.port, path="/slack/events")
    elif args.app == "slack-socket":
        asyncio.run(slack_socket())
    else:
        discord_client().run(os.environ["DISCORD_TOKEN"], log_handler=None)


if __name__ == "__main__":
    main()
