"""The Discord adapter: a discord.py client that turns mentions, DMs and slash commands into core calls.

    await serve_discord(settings, briefer)   # runs until cancelled (``briefbot discord``)

Intents: the defaults, without typing events; ``MESSAGE_CONTENT`` (privileged) only when asked
for. Without it mentions, DMs and slash commands work; with it, thread follow-ups that do not
mention the bot are answered too. Every send carries ``AllowedMentions.none()``.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

import aiohttp
import discord
from discord import app_commands

from bot.config import ConfigError, Settings
from bot.core.handoff import Handoff, Ticket, recover_lapsed
from bot.platforms.discord.actions import FeedbackButton, FollowUpButton
from bot.platforms.discord.digest_command import register_discord_digest
from bot.platforms.discord.endpoints import discord_endpoints
from bot.platforms.discord.message_events import (
    Where,
    answer_in,
    answer_message,
    answer_recovered,
    apologize,
    plan_for,
)
from bot.platforms.discord.news_command import register_discord_news
from bot.platforms.discord.posting import conversation_id
from bot.platforms.discord.rate_limit_waits import count_rate_limit_waits
from bot.platforms.discord.render import escape_mentions
from bot.platforms.discord.slash_commands import (
    COMMANDS,
    answer_recovered_command,
    apologize_for_command,
    register_commands,
)
from bot.store.records import AcceptedQuestion, StoreError

log = logging.getLogger(__name__)

RATE_LIMIT_WAIT_CAP = 30.0  # seconds a send may wait on a Discord 429 (discord.py's smallest allowed cap)

# What the bot needs in a channel: read it, answer, start a thread and answer in it, reply to a message.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    read_message_history=True,
)


class BriefbotDiscordClient(discord.AutoShardedClient):
    """discord.py's own sharding: the shards of ``BRIEFBOT_DISCORD_SHARDS`` (every shard when
    unset, as many as Discord recommends), each a gateway connection in this process."""

    def __init__(self, settings: Settings, briefer, *, message_content: bool = False, **options) -> None:
        # The bot never joins voice: skip discord.py's one-time warnings about missing voice libraries.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        intents = discord.Intents.default()
        intents.typing = False
        intents.message_content = message_content
        options.setdefault("max_ratelimit_timeout", RATE_LIMIT_WAIT_CAP)  # past it: RateLimited, not silence
        if settings.discord_shard_count is not None:
            options.setdefault("shard_count", settings.discord_shard_count)
            options.setdefault("shard_ids", list(settings.discord_shard_ids) or None)
        super().__init__(intents=intents, allowed_mentions=discord.AllowedMentions.none(), **options)
        self.settings = settings
        self.briefer = briefer
        self.handoff = Handoff.for_briefer(briefer)
        self._recovery: asyncio.Task | None = None
        self.tree = app_commands.CommandTree(self)
        register_commands(self.tree, briefer, self.handoff)
        register_discord_digest(self.tree, settings, briefer)
        register_discord_news(self.tree, settings, briefer)

    async def start(self, token: str, *, reconnect: bool = True) -> None:
        with discord_endpoints(self.settings.discord_api_url, self.settings.discord_gateway_url):
            await super().start(token, reconnect=reconnect)

    async def launch_shards(self) -> None:
        if self.shard_count is None and self.settings.discord_gateway_url:
            # discord.py would connect to the URL /gateway/bot names; a configured gateway (a proxy) wins
            self.shard_count = (await self.http.get_bot_gateway())[0]
        await super().launch_shards()
        log.info("discord: connected shard(s) %s of %d", ",".join(map(str, self.shard_ids or range(self.shard_count))),
                 self.shard_count)  # fmt: skip

    async def setup_hook(self) -> None:
        # Buttons under answers sent before a restart keep working: matched by their custom id's pattern.
        self.add_dynamic_items(FeedbackButton, FollowUpButton)
        if self.shard_ids and 0 not in self.shard_ids:
            log.info("discord: slash commands are synced by the process running shard 0")
        else:
            await sync_commands(self.tree, self.settings.discord_guild_id)
        self._recovery = asyncio.create_task(recover_lapsed(
            self.handoff, ("discord",), self._answer_recovered, self._apologize, self.briefer.lifecycle.stop_requested,
        ))  # fmt: skip
        log.info("Invite the bot with: %s", invite_url(self.application_id, self.settings.discord_guild_id))

    async def _answer_recovered(self, ticket: Ticket) -> None:
        """A question or command whose process stopped before answering (``bot.core.handoff``)."""
        if ticket.question.target in COMMANDS:
            await answer_recovered_command(self, ticket, self.briefer)
        else:
            await answer_recovered(self, ticket, self.briefer)

    async def _apologize(self, question: AcceptedQuestion) -> None:
        if question.target in COMMANDS:
            await apologize_for_command(self, question)
        else:
            await apologize(self, question)

    # What /readyz says of the gateway: READY (or RESUMED) up, a dropped connection down. Between
    # the gateway's READY (on_connect) and on_ready, discord.py waits for the guilds to stream in
    # (2 s after the last one): messages are answered meanwhile, so start-up work begins then.
    async def on_connect(self) -> None:
        self.briefer.readiness.connected("discord", "connected, receiving the guilds")

    async def on_ready(self) -> None:
        self.briefer.readiness.ready("discord")

    async def on_resumed(self) -> None:
        self.briefer.readiness.ready("discord")

    async def on_disconnect(self) -> None:
        self.briefer.readiness.waiting("discord", "gateway disconnected, reconnecting")

    async def on_message(self, message: discord.Message) -> None:
        if self.briefer.lifecycle.stopping:
            return  # shutting down: another instance (or this one, restarted) takes new questions
        with self.briefer.lifecycle.work():
            plan = await plan_for(message, self.user, self.briefer)
            # Every process on this token gets every event: the shared store lets one of them answer.
            if plan is not None and await self._claim(f"discord:{message.id}"):
                await answer_message(message, plan, self.briefer, self.handoff)

    async def _claim(self, key: str) -> bool:
        try:
            return await asyncio.to_thread(self.briefer.store.claim_event, key)
        except StoreError as error:  # answering twice beats never answering
            log.warning("store unavailable, answering %s without de-duplication: %s", key, error)
            return True


    async def close(self) -> None:
        if self._recovery is not None:
            self._recovery.cancel()
            await asyncio.gather(self._recovery, return_exceptions=True)
        await super().close()

    async def answer_follow_up(self, interaction: discord.Interaction, question: str) -> None:
        """A suggested follow-up was pressed: show who asked what, then answer it in the same channel
        or thread, continuing its conversation."""
        channel = interaction.channel
        if channel is None:
            return
        if self.briefer.lifecycle.stopping:
            return  # shutting down: the question can be asked again of the next instance
        with self.briefer.lifecycle.work():
            with suppress(discord.HTTPException):
                await channel.send(f"**{escape_mentions(interaction.user.display_name)}**: {escape_mentions(question)}")
            here = conversation_id(interaction.guild_id, channel.id)
            ticket = await self.handoff.accept(AcceptedQuestion(
                key=f"discord:interaction:{interaction.id}", platform="discord", channel=str(channel.id),
                question=question, conversation_id=here, workspace=str(interaction.guild_id or ""),
                thread=str(interaction.id), target=Where.IN_PLACE.value, user_id=str(interaction.user.id),
            ))  # fmt: skip
            async with ticket.holding():  # recovered as a question answered in place (bot.core.handoff)
                await answer_in(channel, question, here, self.briefer, user=f"discord:{interaction.user.id}",
                                nonce_base=interaction.id, may_post=ticket.confirm)  # fmt: skip
                await ticket.done()


async def sync_commands(tree: app_commands.CommandTree, guild_id: int | None) -> None:
    """Register the slash commands: to one guild when given (instant), else globally."""
    guild = discord.Object(id=guild_id) if guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    try:
        synced = await tree.sync(guild=guild)
    except discord.HTTPException as error:  # commands synced earlier keep working; mentions and DMs too
        log.error("could not sync the slash commands (HTTP %s): %s", error.status, error.text)
        return
    log.info("synced %d slash commands %s", len(synced), f"to guild {guild_id}" if guild else "globally")


def invite_url(application_id: int, guild_id: int | None = None) -> str:
    guild = discord.Object(id=guild_id) if guild_id else discord.utils.MISSING
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, guild=guild, scopes=("bot", "applications.commands")
    )


def build_discord_client(settings: Settings, briefer, *, message_content: bool = False, **options):
    """The client, not started: ``await client.start(settings.discord_token)`` inside ``async with client``."""
    return BriefbotDiscordClient(settings, briefer, message_content=message_content, **options)


async def serve_discord(settings: Settings, briefer, *, message_content: bool = False) -> None:
    """Run the Discord bot until cancelled; start-up problems become one-line ``ConfigError``s."""
    if not settings.discord_token:
        raise ConfigError("DISCORD_TOKEN must be set to the bot token from the Discord Developer Portal")
    briefer.readiness.waiting("discord", "connecting to the gateway")
    count_rate_limit_waits()
    client = build_discord_client(settings, briefer, message_content=message_content)
    try:
        async with client:
            await _run_until_stopped(client, settings.discord_token, briefer.lifecycle)
    except discord.LoginFailure:
        raise ConfigError("DISCORD_TOKEN was rejected by Discord: copy the bot token again") from None
    except (aiohttp.ClientError, OSError) as error:  # REST or gateway: DNS, refused, TLS...
        reason = type(error).__name__ + (f": {str(error).splitlines()[0][:160]}" if str(error) else "")
        raise ConfigError(f"cannot reach Discord at {settings.discord_api_url} ({reason})") from None
    except discord.GatewayNotFound:
        raise ConfigError(
            f"cannot get the shard count from Discord at {settings.discord_api_url} (GET /gateway/bot): "
            "set BRIEFBOT_DISCORD_SHARDS (e.g. 0/1)"
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError(
            "the Message Content intent is not enabled for this bot in the Discord Developer Portal: "
            "enable it, or turn off BRIEFBOT_DISCORD_MESSAGE_CONTENT"
        ) from None


async def _run_until_stopped(client: discord.Client, token: str, lifecycle) -> None:
    """``client.start`` until it ends or the lifecycle is asked to stop; then the answers in flight
    are finished (the connection stays open for them) before the client closes."""
    running = asyncio.ensure_future(client.start(token))
    stopping = asyncio.ensure_future(lifecycle.stop_requested.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if running.done():
            return running.result()
        await lifecycle.drain()
        await client.close()
        await running
    finally:
        stopping.cancel()
        running.cancel()
