"""The bot's App Home on Slack: the newest articles with buttons for their briefing (posted to
the person's Messages tab with the bot), and the workspace's channel digests, which those who
may manage digests (as for ``/digest``) can post now or turn off from here."""

from __future__ import annotations

import asyncio
import logging
import re

from bot.digest.chat_command import Channel
from bot.language.languages import LANGUAGE_NAMES
from bot.platforms.slack.actions import reply_blocks, with_blocks
from bot.platforms.slack.listeners import dm_conversation_id, prepare
from bot.platforms.slack.posting import SlackPoster
from bot.platforms.slack.render import escape

BRIEF_ACTION = re.compile(r"^briefbot_home_brief_(it|en)$")
DIGEST_ACTION = re.compile(r"^briefbot_home_digest_(now|off)$")
NEWEST = 5

log = logging.getLogger(__name__)


class AppHome:
    def __init__(self, briefer, client, digest_command) -> None:
        self.briefer = briefer
        self.client = client
        self.poster = SlackPoster(client)
        self.digest = digest_command  # bot.digest.slack_commands.SlackDigestCommand

    async def opened(self, event, context) -> None:
        if event.get("tab", "home") == "home":
            await self.publish(event["user"], context.team_id)

    async def publish(self, user: str, team: str, notice: str = "") -> None:
        subscriptions = await asyncio.to_thread(self.briefer.store.subscriptions)
        ours = [s for s in subscriptions if s.platform == "slack" and s.workspace == team]
        manager = await self.digest.may_manage(user)
        try:
            await self.client.views_publish(user_id=user, view=home_view(self.briefer.knowledge, ours, manager, notice))
        except Exception as error:
            log.warning("could not publish the App Home for %s: %s", user, type(error).__name__)

    async def brief(self, ack, body, context) -> None:
        await ack()
        action = body["actions"][0]
        language = BRIEF_ACTION.match(action["action_id"]).group(1)
        article_id, user = action.get("value", ""), body["user"]["id"]
        if self.briefer.knowledge.article(article_id) is None:
            await self.publish(user, context.team_id, "That article is no longer in the knowledge base.")
            return
        reply, messages = await prepare(lambda: self.briefer.brief(lang=language, article_ids=[article_id]))
        if reply is not None:
            blocks = await reply_blocks(self.briefer.store, reply, question="", channel=user,
                                        conversation_id=dm_conversation_id(context.team_id, user))  # fmt: skip
            messages = with_blocks(messages, blocks)
        await self.poster.deliver(user, messages, placeholder_ts=None)  # the person's DM with the bot

    async def manage_digest(self, ack, body, context) -> None:
        await ack()
        action = body["actions"][0]
        verb = DIGEST_ACTION.match(action["action_id"]).group(1)
        channel, user = action.get("value", ""), body["user"]["id"]
        where = Channel("slack", channel, context.team_id)
        may_manage = lambda: self.digest.may_manage(user)  # noqa: E731
        notice = await self.digest.commands.handle(verb, where, user=user, may_manage=may_manage)
        await self.publish(user, context.team_id, f"{channel_link(channel)}: {notice}")


def home_view(knowledge, subscriptions, manager: bool, notice: str = "") -> dict:
    blocks: list[dict] = [_header("briefbot")]
    if notice:
        blocks.append(_section(f":information_source: {notice}"))
    blocks.append(_header("Newest articles / Ultimi articoli"))
    for article in sorted(knowledge.articles, key=lambda a: a.published, reverse=True)[:NEWEST]:
        blocks += _article_blocks(article)
    blocks.append(_header("Channel digests"))
    if not subscriptions:
        blocks.append(_section("No channel gets the daily digest yet. In a channel: `/digest on 08:30 Europe/Rome it`"))
    for sub in subscriptions:
        blocks += _digest_blocks(sub, manager)
    if not manager:
        note = "Only workspace admins and owners (and the people in BRIEFBOT_ADMINS) can change digests."
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    return {"type": "home", "blocks": blocks}


def _article_blocks(article) -> list[dict]:
    english = article.title_in("en")
    line = f"*{escape(article.title)}*" + (f"\n{escape(english)}" if english != article.title else "")
    buttons = [_button(f"briefbot_home_brief_{c}", f"Briefing ({c.upper()})", article.id) for c in ("it", "en")]
    return [
        _section(f"{line}\n_{article.published.isoformat()}_"),
        {"type": "actions", "block_id": f"brief_{article.id}", "elements": buttons},
    ]


def _digest_blocks(sub, manager: bool) -> list[dict]:
    state = f" · *paused*: {escape(sub.paused_reason)}" if sub.paused else ""
    language = LANGUAGE_NAMES.get(sub.language, sub.language)
    when = f"{sub.time_of_day} ({escape(sub.timezone)}), in {language}"
    blocks = [_section(f"{channel_link(sub.channel)} at {when}{state}")]
    if manager:
        off = _button("briefbot_home_digest_off", "Turn off", sub.channel, style="danger")
        off["confirm"] = {
            "title": _plain("Turn off the digest?"),
            "text": _plain("The channel gets no more daily digest."),
            "confirm": _plain("Turn off"),
            "deny": _plain("Keep it"),
        }
        now = _button("briefbot_home_digest_now", "Post now", sub.channel)
        blocks.append({"type": "actions", "block_id": f"digest_{sub.channel}", "elements": [now, off]})
    return blocks


def _header(text: str) -> dict:
    return {"type": "header", "text": _plain(text)}


def channel_link(channel: str) -> str:
    """``<#C123>`` for a channel id (Slack shows its name); anything else escaped, never an entity."""
    return f"<#{channel}>" if re.fullmatch(r"[CGD][A-Z0-9]{2,}", channel) else escape(channel)


def _section(mrkdwn: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _button(action_id: str, text: str, value: str, *, style: str = "") -> dict:
    button = {"type": "button", "action_id": action_id, "text": _plain(text), "value": value}
    if style:
        button["style"] = style
    return button
