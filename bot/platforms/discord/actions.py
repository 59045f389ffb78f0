"""The buttons under every Discord answer and briefing: 👍/👎 (with an optional reason for 👎,
asked in a modal) and up to three suggested follow-up questions, answered in the same channel
or thread.

They survive restarts: each button is a ``discord.ui.DynamicItem`` whose custom id carries the
reply's id as stored for rating (``briefbot:fb:up:<id>``, ``briefbot:fu:<n>:<id>``), registered
in the client's ``setup_hook``; a click after a restart is matched by its id's pattern, and the
reply (with the follow-ups it offered) is read back from the store.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from bot.answers.feedback import rate, rating_id_or_none

log = logging.getLogger(__name__)

ID = r"(?P<id>[0-9a-f]{32})"
LABEL_LIMIT = 80  # characters of a button's label

_TEXTS = {
    "it": {"thanks": "Grazie del riscontro.", "gone": "Questa risposta non è più in archivio.",
           "reason_title": "Cosa non andava?", "reason_label": "Cosa non andava nella risposta?",
           "reason_hint": "Facoltativo"},
    "en": {"thanks": "Thanks for the feedback.", "gone": "That answer is no longer on record.",
           "reason_title": "What was wrong?", "reason_label": "What was wrong with the answer?",
           "reason_hint": "Optional"},
}  # fmt: skip


def texts(language: str) -> dict[str, str]:
    return _TEXTS.get(language, _TEXTS["en"])


async def reply_view(store, reply, *, question: str, channel: str, conversation_id: str) -> discord.ui.View | None:
    """The buttons for a reply about to be sent (kept for rating first); None if it cannot be kept
    or is no answer ("not now": busy, rate-limited)."""
    if reply.extras.get("transient"):
        return None
    answer_id = await rating_id_or_none(store, reply, platform="discord", question=question, channel=channel,
                                        conversation_id=conversation_id)  # fmt: skip
    if answer_id is None:
        return None
    view = discord.ui.View(timeout=None)
    for number, follow_up in enumerate(reply.follow_ups):
        view.add_item(FollowUpButton(number, answer_id, label=follow_up))
    return with_feedback(view, answer_id)


def with_feedback(view: discord.ui.View, answer_id: str) -> discord.ui.View:
    """``view`` with the 👍/👎 buttons for the reply kept for rating as ``answer_id``."""
    view.add_item(FeedbackButton("up", answer_id))
    view.add_item(FeedbackButton("down", answer_id))
    return view


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"briefbot:fb:(?P<rating>up|down):{ID}"):
    def __init__(self, rating: str, answer_id: str) -> None:
        self.rating, self.answer_id = rating, answer_id
        super().__init__(
            discord.ui.Button(
                emoji="👍" if rating == "up" else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"briefbot:fb:{rating}:{answer_id}",
                row=1,
            )
        )

    @classmethod
    async def from_custom_id(cls, interaction, item, match) -> FeedbackButton:
        return cls(match["rating"], match["id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        store = interaction.client.briefer.store
        answer = await asyncio.to_thread(store.rated_answer, self.answer_id)
        words = texts(answer.language if answer else "en")
        if answer is None or not await rate(store, self.answer_id, platform="discord",
                                            user_id=str(interaction.user.id), rating=self.rating):  # fmt: skip
            await interaction.response.send_message(words["gone"], ephemeral=True)
            return
        if self.rating == "down":
            await interaction.response.send_modal(ReasonModal(self.answer_id, answer.language))
            return
        await interaction.response.send_message(words["thanks"], ephemeral=True)


class ReasonModal(discord.ui.Modal):
    def __init__(self, answer_id: str, language: str) -> None:
        words = texts(language)
        super().__init__(title=words["reason_title"], timeout=None, custom_id=f"briefbot:reason:{answer_id}")
        self.answer_id, self.language = answer_id, language
        self.reason = discord.ui.TextInput(label=words["reason_label"], placeholder=words["reason_hint"],
                                           style=discord.TextStyle.paragraph, required=False, max_length=500,
                                           custom_id="reason")  # fmt: skip
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await rate(interaction.client.briefer.store, self.answer_id, platform="discord",
                   user_id=str(interaction.user.id), rating="down", reason=self.reason.value or "")  # fmt: skip
        await interaction.response.send_message(texts(self.language)["thanks"], ephemeral=True)


class FollowUpButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"briefbot:fu:(?P<number>[0-2]):{ID}"):
    def __init__(self, number: int, answer_id: str, *, label: str = "…") -> None:
        self.number, self.answer_id = number, answer_id
        label = label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1].rstrip() + "…"
        custom_id = f"briefbot:fu:{number}:{answer_id}"
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=custom_id, row=0))

    @classmethod
    async def from_custom_id(cls, interaction, item, match) -> FollowUpButton:
        return cls(int(match["number"]), match["id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        answer = await asyncio.to_thread(client.briefer.store.rated_answer, self.answer_id)
        if answer is None or self.number >= len(answer.follow_ups):
            await interaction.response.send_message(texts(answer.language if answer else "en")["gone"],
                                                    ephemeral=True)  # fmt: skip
            return
        await interaction.response.defer()  # the answer comes as a new message, not an edit of this one
        await client.answer_follow_up(interaction, answer.follow_ups[self.number])
