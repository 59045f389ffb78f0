import pytest

from bot.answers.reply import Citation, Reply
from bot.platforms.discord.render import (
    MESSAGE_LIMIT,
    escape_mentions,
    question_from_message,
    render_reply,
    source_lines,
)

Z = "\u200b"
USER, ROLE = "456789012345678901", "123456789012345678"  # Discord ids (snowflakes) have 17 to 20 digits
ARTICLE = Citation("openai-aws/p3", "quote", "OpenAI sceglie AWS", "2025-11-04", "source")
OTHER = Citation("other/p1", "quote", "Another article", "2025-11-05")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@everyone look", f"@{Z}everyone look"),
        ("hi @here!", f"hi @{Z}here!"),
        (f"<@{USER}> and <@!{USER}>", f"<@{Z}{USER}> and <@{Z}!{USER}>"),
        (f"role <@&{ROLE}>", f"role <@{Z}&{ROLE}>"),
        ("mail me at team@example.com", "mail me at team@example.com"),
        # discord.py's escape_mentions breaks this look-alike too: harmless, the space is invisible
        ("@everyoneelse is not a mention", f"@{Z}everyoneelse is not a mention"),
        ("channel <#789> stays", "channel <#789> stays"),
    ],
)
def test_escape_mentions(text, expected):
    assert escape_mentions(text) == expected


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        ((), []),
        ((ARTICLE,), ["-# [1] OpenAI sceglie AWS, 2025-11-04"]),
        (
            (ARTICLE, OTHER, ARTICLE),
            ["-# [1] [3] OpenAI sceglie AWS, 2025-11-04", "-# [2] Another article, 2025-11-05"],
        ),
        ((Citation("x/p1", "quote"),), ["-# [1] x/p1"]),
    ],
)
def test_source_lines(citations, expected):
    assert source_lines(citations) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply("**Deal**: $38bn [1].", (ARTICLE,)), ["**Deal**: $38bn [1].\n\n-# [1] OpenAI sceglie AWS, 2025-11-04"]),
        (Reply("No sources."), ["No sources."]),
        (Reply("Answer.", notice="model down"), ["Answer.\n\n-# *model down*"]),
        (Reply("_model down_\n\nAnswer.", notice="model down"), ["_model down_\n\nAnswer."]),
        (Reply("see [bank.com](https://evil.example)"), ["see bank.com (https://evil.example)"]),
        (
            Reply(f"@everyone <@&{ROLE}> [1]", (Citation("a", "q", "@here news"),)),
            [f"@{Z}everyone <@{Z}&{ROLE}> [1]\n\n-# [1] @{Z}here news"],
        ),
        (Reply("   "), []),
    ],
)
def test_render_reply(reply, expected):
    assert render_reply(reply) == expected


def test_a_long_reply_is_split_under_the_limit_with_sources_last():
    reply = Reply(("The deal is worth 38 billion dollars [1]. " * 60).strip(), (ARTICLE,))

    parts = render_reply(reply)

    assert len(parts) == 2 and all(len(p) <= MESSAGE_LIMIT for p in parts)
    assert parts[1].endswith("-# [1] OpenAI sceglie AWS, 2025-11-04")
    assert "".join(parts).count("38 billion") == 60


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<@42> how much?", "how much?"),
        ("<@!42>   how   much?", "how much?"),
        ("what did <@42> say to <@7>?", "what did say to <@7>?"),
        ("<@42>", ""),
        ("line one\n<@42> line two", "line one\n line two"),
    ],
)
def test_question_from_message(content, expected):
    assert question_from_message(content, 42) == expected
