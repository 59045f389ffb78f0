"""Round 20 of the offline engine: hearsay from the asker's world ("the barista swears...", "our
intern wants to know") is set aside, while a named person opening the message is its topic; a
self-introduction opening the message is chatter; a cleft ("chi è che...", "who is it that...") asks
what its question word asks; the asker's own likening after a question is set aside when it holds
no article word and no name; a noun phrase after "quante"/"how many" ends at a comma; "GPU count"
asks a count; "dove li costruiranno?" asks a place; a clarification after a question is part of it;
the asker's view after a question is a remark; reporting verbs ("evidenzia", "highlight") weigh
nothing; request frames ("mi ricordate", "se posso chiedere", "il bot mi sa dire") are chat; and
"what X said" asks an opinion. Each test asserts on the reply a user sees: the passages cited, or a
refusal. Tests marked "cover" or "guard" held before round 20 too."""

import pytest

from tests.support import answered_from as _answered_from
from tests.test_offline_round11 import _cites

DEAL = {"openai-aws/p3"}
DURATION = {"openai-aws/p2", "openai-aws/p3"}
WORTH = {"openai-aws/p1", "openai-aws/p3"}
BOTTLENECK = {"openai-aws/p5"}
GPUS = {"openai-aws/p6"}
GARMAN = {"openai-aws/p8"}
CONCERNS = {"openai-aws/p11"}
SYSTEMS = {"openai-aws/p12"}


# 1. Hearsay from the asker's world is set aside


@pytest.mark.parametrize(
    ("question", "passages"),
    [("bartender heard it's a 5 year deal, true?", DURATION),
     ("sous chef reckons it's a 10 year contract, right?", DEAL),
     ("the cashier heard it's a three year contract, is that so?", DEAL),
     ("il barista giura che l'accordo dura dieci anni, è così?", DEAL),
     ("il cameriere ha sentito che l'accordo dura cinque anni, vero?", DEAL),
     ("who speaks for AWS? the drummer swears it's Bezos", GARMAN),
     ("who is quoted for AWS? the bassist swears it's Jassy", GARMAN),
     ("chi parla per AWS? il barista giura che è Bezos", GARMAN),
     ("chi è il capo di AWS citato? il tecnico luci giura che è Jassy", GARMAN)],
)  # fmt: skip
async def test_hearsay_from_the_askers_world_is_set_aside(shipped, question, passages):
    await _answered_from(shipped, question, passages)


@pytest.mark.parametrize(
    "question",
    ["is Microsoft mentioned? my manager wants to know", "l'articolo parla di Google? lo chiede il mio capo",
     "is Anthropic in there? the new hire wants to know", "si parla di Anthropic? lo vuole sapere lo stagista"],
)  # fmt: skip
async def test_who_wants_to_know_is_set_aside(shipped, question):
    # Cover.
    assert await _cites(shipped, question) is not None


@pytest.mark.parametrize(
    "question",
    ["Andy Jassy ha detto qualcosa?", "did Jeff Bezos comment on it?", "Sundar Pichai ha commentato?",
     "who is the market leader? intel will want to know", "chi è lo sfidante? nvidia vorrà saperlo",
     "my boss says the deal includes a stake in OpenAI, true?",
     "mio zio dice che l'accordo include una quota di openai, vero?"],
)  # fmt: skip
async def test_a_named_person_a_company_or_a_claim_the_article_does_not_make_stays_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


# 2. A self-introduction opening the message is chatter


@pytest.mark.parametrize(
    ("question", "passages"),
    [("Buongiorno, sono Marta dello studio Ferri: chi parla per AWS?", GARMAN),
     ("Salve, sono Luca dello studio Verdi: quando saranno operativi i nuovi sistemi?", SYSTEMS),
     ("Elena qui, studio Neri. quanto vale l'accordo?", WORTH),
     ("Sono Paolo dello studio Bianchi: quanto vale l'accordo?", WORTH),
     ("Sara here, from payroll. how long is the deal?", DURATION), ("Dan, IT side. who is quoted for AWS?", GARMAN),
     ("Marco, procurement. what does the deal cost?", WORTH)],
)  # fmt: skip
async def test_a_self_introduction_is_chatter(shipped, question, passages):
    # The last three are cover.
    await _answered_from(shipped, question, passages)


@pytest.mark.parametrize("question", ["Apple, Meta: do they get a mention?", "Nvidia e Intel: vengono citate?"])
async def test_companies_the_article_does_not_name_opening_the_message_stay_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


# 3. A cleft asks what its question word asks


@pytest.mark.parametrize(
    ("question", "passages"),
    [("chi è che parla a nome di AWS?", GARMAN), ("chi è che viene citato per AWS?", GARMAN),
     ("who is it that comments for AWS?", GARMAN), ("what is it that worries the author?", CONCERNS),
     ("cos'è che preoccupa di più l'articolo?", CONCERNS)],
)  # fmt: skip
async def test_a_cleft_asks_what_its_question_word_asks(shipped, question, passages):
    # The last two are cover.
    await _answered_from(shipped, question, passages)


# 4. The asker's own likening closing a question is set aside when it holds no article word and no name


@pytest.mark.parametrize(
    "question",
    ["what's meant by compute being the bottleneck? like a single checkout open at the supermarket?",
     "what do they mean by bottleneck? like a queue at the post office?",
     "cosa intende per collo di bottiglia? tipo un solo casello aperto?",
     "cosa intendono per collo di bottiglia? tipo la coda in autostrada?"],
)  # fmt: skip
async def test_the_askers_own_likening_is_set_aside(shipped, question):
    await _answered_from(shipped, question, BOTTLENECK)


@pytest.mark.parametrize(
    "question",
    ["quali modelli addestreranno, tipo GPT-6?", "which chips will they use, like Nvidia's H100?",
     "what models will it train, like Sora?"],
)  # fmt: skip
async def test_a_likening_naming_what_the_article_does_not_say_stays_refused(shipped, question):
    # Guards.
    assert await _cites(shipped, question) is None


# 5. A noun phrase after "quante" / "how many" ends at a comma


@pytest.mark.parametrize(
    "question",
    ["quante GPU, tipo un paio di migliaia?", "quanti processori grafici servono, più o meno centomila?",
     "how many GPUs, maybe fifty thousand?", "how many GPUs, like a few thousand?"],
)  # fmt: skip
async def test_how_many_ends_at_a_comma(shipped, question):
    # The last one is cover.
    await _answered_from(shipped, question, GPUS)


# 6. "GPU count" asks a count; exactness still refuses


@pytest.mark.parametrize("question", ["what's the GPU count on this?", "GPU count in the deal?"])
async def test_the_gpu_count_is_answered(shipped, question):
    # Cover.
    await _answered_from(shipped, question, GPUS)


@pytest.mark.parametrize("question", ["what's the precise GPU count?", "exact GPU count please?"])
async def test_the_exact_gpu_count_is_refused(shipped, question):
    # The last one is a guard.
    assert await _cites(shipped, question) is None


# 7. "dove li costruiranno?" asks a place


@pytest.mark.parametrize(
    "question",
    ["dove li costruiranno?", "dove li costruiranno, questi nuovi centri dati?",
     "dove li tireranno su, questi data center?"],
)  # fmt: skip
async def test_where_they_will_build_them_asks_a_place(shipped, question):
    # The last two are guards.
    assert await _cites(shipped, question) is None


# 8. A clarification after the question is part of it


@pytest.mark.parametrize(
    "question",
    ["who actually signed it? the executives' names I mean", "who signed it exactly? I mean which executives",
     "chi ha firmato fisicamente il contratto? intendo i nomi dei manager"],
)  # fmt: skip
async def test_a_clarification_asking_names_the_article_does_not_give_is_refused(shipped, question):
    assert await _cites(shipped, question) is None


@pytest.mark.parametrize(
    "question",
    ["e quanto dura? intendo quanti anni", "per quanto tempo vale? intendo in anni", "how long is it? I mean in years"],
)
async def test_a_clarification_the_article_answers_is_answered(shipped, question):
    # Guards.
    await _answered_from(shipped, question, DURATION)


# 9. The asker's view after the question is a remark


@pytest.mark.parametrize(
    "question",
    ["are there risks? feels like three companies own the whole cloud",
     "any risks? I always worry when a handful of firms hold everything",
     "ci sono dei rischi? mi sa che tre aziende controllano tutto",
     "ci sono rischi? io diffido sempre quando comandano in pochi"],
)  # fmt: skip
async def test_the_askers_view_after_the_question_is_a_remark(shipped, question):
    # The last two are cover.
    await _answered_from(shipped, question, CONCERNS)


# 10. Reporting verbs are filler


@pytest.mark.parametrize(
    "question",
    ["quali rischi evidenzia il pezzo?", "what risks does the article highlight?",
     "which concerns does the article highlight?", "what dangers does the piece underline?"],
)  # fmt: skip
async def test_reporting_verbs_are_filler(shipped, question):
    await _answered_from(shipped, question, CONCERNS)


# 11. Request frames are chat


@pytest.mark.parametrize(
    ("question", "passages"),
    [("mi ricordate quanto vale l'accordo?", WORTH), ("mi ricordate per quanti anni è l'accordo?", DURATION),
     ("il bot mi sa dire quando saranno operativi i sistemi?", SYSTEMS),
     ("il bot mi sa dire chi parla per AWS?", GARMAN), ("quanto vale, se posso chiedere?", WORTH),
     ("quando saranno operativi, se posso chiedere?", SYSTEMS)],
)  # fmt: skip
async def test_request_frames_are_chat(shipped, question, passages):
    await _answered_from(shipped, question, passages)


# 12. "what X said" asks an opinion


@pytest.mark.parametrize(
    "question",
    ["give me the short version of what google said", "cosa dice Microsoft dell'accordo?", "cosa dice Google?"],
)
async def test_what_someone_the_article_does_not_quote_said_is_refused(shipped, question):
    # The first and last are guards.
    assert await _cites(shipped, question) is None


@pytest.mark.parametrize(
    "question",
    ["give me the short version of what matt garman said", "the short version of what the aws ceo said?",
     "cosa dice il numero uno di AWS?", "cosa dice Garman nell'articolo?"],
)  # fmt: skip
async def test_what_garman_said_is_answered(shipped, question):
    # Guards.
    await _answered_from(shipped, question, GARMAN)
