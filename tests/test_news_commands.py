"""``/news`` from chat, through the real slack-bolt and discord.py clients against the fakes: an
admin adds an article from a local web page, sees progress, gets its briefing; lists; removes."""

import copy

from tests.digest_helpers import knowledge_copy
from tests.discord_helpers import discord_settings, running_bot
from tests.fakes.discord_server import USER_ID
from tests.ingest_helpers import ARTICLE_PAGE, serving
from tests.slack_helpers import DM_CHANNEL, USER, blocks_text, running_http_app, slack_settings
from tests.support import real_briefer

NEW_ID = "chipmaker-unveils-rubin"


async def test_news_add_list_and_remove_on_slack(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path, knowledge_dir=knowledge_copy(tmp_path), admins=frozenset({USER}))
    with serving(ARTICLE_PAGE.encode()) as url:
        async with real_briefer(settings) as briefer, running_http_app(slack_api, settings, briefer) as running:
            status, body = await running.sender.command("/news", f"add {url} en")
            assert status == 200 and "Working on it" in body
            [briefing] = await slack_api.wait_for("chat.postMessage")
            progress = [blocks_text(c) for c in await slack_api.wait_for("response_url", count=3)]

            await running.sender.command("/news", "list")
            listing = blocks_text((await slack_api.wait_for("response_url", count=4))[-1])

            await running.sender.command("/news", f"remove {NEW_ID}", user_id="U0000999")  # not an admin
            refused = blocks_text((await slack_api.wait_for("response_url", count=5))[-1])
            await running.sender.command("/news", f"remove {NEW_ID}")
            removed = blocks_text((await slack_api.wait_for("response_url", count=6))[-1])
            after = await briefer.answer("Who unveiled Rubin?")

    assert progress[0].startswith("Fetching http://127.0.0.1:") and progress[1].startswith("Reading the article")
    assert f"Added `{NEW_ID}`: Chipmaker unveils Rubin (2026-03-18), 5 passages" in progress[2]
    shown = blocks_text(briefing)
    assert briefing.args["channel"] == "C0000001" and "Nvidia unveiled Rubin" in shown and f"{NEW_ID}/p3" in shown
    assert f"`{NEW_ID}`: Chipmaker unveils Rubin (2026-03-18, en)" in listing and "openai-aws" in listing
    assert refused.startswith("Sorry, only admins")
    assert removed.startswith(f"Removed `{NEW_ID}`") and after.refused


async def test_news_add_on_discord(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path, knowledge_dir=knowledge_copy(tmp_path),
                                admins=frozenset({str(USER_ID)}))  # fmt: skip
    with serving(ARTICLE_PAGE.encode()) as url:
        async with real_briefer(settings) as briefer, running_bot(settings, briefer):
            interaction = news(fake_discord, "add", {"url": url, "language": "en"})
            await fake_discord.dispatch("INTERACTION_CREATE", interaction)
            token = interaction["token"]
            [briefing] = await fake_discord.wait_for(lambda r: r.method == "POST" and r.path.endswith(token))
            edits = [r.body["content"] for r in fake_discord.requests if r.method == "PATCH" and token in r.path]
            answer = await briefer.answer("Who unveiled Rubin?")
    assert edits[0].startswith("Fetching http://127.0.0.1:") and edits[1].startswith("Reading the article")
    assert edits[-1].startswith(f"Added `{NEW_ID}`: Chipmaker unveils Rubin")
    assert "Nvidia unveiled Rubin" in briefing.body["content"] and not briefing.body.get("flags")
    assert answer.citations[0].id.startswith(f"{NEW_ID}/")


async def test_news_add_is_refused_to_someone_who_cannot_manage_the_channel_on_discord(fake_discord, tmp_path):
    settings = discord_settings(fake_discord, tmp_path, knowledge_dir=knowledge_copy(tmp_path))
    async with real_briefer(settings) as briefer, running_bot(settings, briefer):
        interaction = news(fake_discord, "add", {"url": "http://127.0.0.1:9/never-fetched"})
        await fake_discord.dispatch("INTERACTION_CREATE", interaction)
        [edit] = await fake_discord.wait_for(lambda r: r.method == "PATCH" and interaction["token"] in r.path)
        assert edit.body["content"].startswith("Sorry, only admins")
        assert [a.id for a in briefer.knowledge.articles] == ["openai-aws"]


def news(fake_discord, subcommand: str, options: dict) -> dict:
    """An INTERACTION_CREATE for ``/news <subcommand>``: options nested under the subcommand."""
    interaction = fake_discord.interaction("news", {})
    data = copy.deepcopy(interaction)
    data["data"]["options"] = [
        {"name": subcommand, "type": 1, "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()]}
    ]
    return data


SHARED_ARTICLE = """Nvidia presenta il chip Rubin

Il nuovo acceleratore arriva nel 2026.

Tags: hardware, ai

2026-03-18

Nvidia ha presentato Rubin, il successore di Blackwell, alla conferenza GTC di San Jose.
"""


def file_share(fake, user: str, files: list[dict], ts: str) -> dict:
    return {"type": "message", "subtype": "file_share", "user": user, "text": "", "ts": ts, "channel": DM_CHANNEL,
            "channel_type": "im", "files": files}  # fmt: skip


async def test_an_admin_shares_an_article_file_in_a_dm_on_slack(slack_api, tmp_path):
    settings = slack_settings(slack_api, tmp_path, knowledge_dir=knowledge_copy(tmp_path), admins=frozenset({USER}))
    article = slack_api.share_file("rubin.txt", SHARED_ARTICLE.encode())
    async with real_briefer(settings) as briefer, running_http_app(slack_api, settings, briefer) as running:
        await running.sender.event(file_share(slack_api, "U0000999", [article], "1.1"))  # not an admin
        [refused] = await slack_api.wait_for("chat.postMessage")
        await running.sender.event(file_share(slack_api, USER, [article], "1.2"))
        posts = await slack_api.wait_for("chat.postMessage", count=5)
        answer = await briefer.answer("Chi ha presentato Rubin?")
    shown = [blocks_text(p) for p in posts[1:]]
    assert blocks_text(refused).startswith("Only admins can add articles")
    assert shown[0].startswith("Reading rubin.txt …") and shown[1].startswith("Reading the article")
    assert shown[2].startswith("Added `nvidia-presenta-il-chip-rubin`: Nvidia presenta il chip Rubin (2026-03-18)")
    assert "nvidia-presenta-il-chip-rubin/p3" in shown[3] and all(p.args["channel"] == DM_CHANNEL for p in posts)
    assert slack_api.calls_to("file_download")[0].headers["Authorization"] == f"Bearer {settings.slack_bot_token}"
    assert answer.citations[0].id == "nvidia-presenta-il-chip-rubin/p3"
