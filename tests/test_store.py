"""The store on SQLite and on the local PostgreSQL server."""

import uuid

import pytest

from bot.store.database import Retention, Store, StoreError, Turn


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    yield store
    store.close()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def test_schema_is_created_on_first_use_and_turns_round_trip(store):
    conversation = unique("c")
    store.add_turns(conversation, [Turn("user", "Quanto vale?", "it"), Turn("assistant", "38 [x]", "it", ("a/p3",))])
    turns = store.recent_turns(conversation, limit=10, max_age_seconds=60)
    assert [(t.role, t.content, t.citations) for t in turns] == [
        ("user", "Quanto vale?", ()),
        ("assistant", "38 [x]", ("a/p3",)),
    ]


def test_recent_turns_are_the_last_ones_oldest_first(store):
    conversation = unique("c")
    for n in range(5):
        store.add_turns(conversation, [Turn("user", f"q{n}", "en")])
    assert [t.content for t in store.recent_turns(conversation, limit=2, max_age_seconds=60)] == ["q3", "q4"]


def test_old_turns_expire_and_are_forgotten(store):
    conversation = unique("c")
    now = store.clock()
    store.clock = lambda: now - 7200
    store.add_turns(conversation, [Turn("user", "old", "en")])
    store.clock = lambda: now
    store.add_turns(conversation, [Turn("user", "new", "en")])
    assert [t.content for t in store.recent_turns(conversation, limit=9, max_age_seconds=3600)] == ["new"]
    assert store.prune(Retention(conversations=3600))["conversation_turns"] >= 1
    store.clock = lambda: now - 7200
    assert [t.content for t in store.recent_turns(conversation, limit=9, max_age_seconds=10**6)] == ["new"]


def test_an_event_is_claimed_once_across_instances(store, database_url):
    key = unique("slack:Ev")
    other = Store(database_url)
    try:
        assert store.claim_event(key) is True
        assert store.claim_event(key) is False
        assert other.claim_event(key) is False
        assert other.claim_event(unique("slack:Ev")) is True
    finally:
        other.close()


def test_cache_keeps_the_first_value(store):
    key = unique("brief")
    assert store.cached(key) is None
    store.cache(key, {"text": "one"})
    store.cache(key, {"text": "two"})
    assert store.cached(key) == {"text": "one"}


def test_data_is_kept_across_restarts(database_url):
    conversation = unique("c")
    first = Store(database_url)
    first.add_turns(conversation, [Turn("user", "kept", "it")])
    first.close()
    second = Store(database_url)
    assert [t.content for t in second.recent_turns(conversation, limit=5, max_age_seconds=60)] == ["kept"]
    second.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://root@127.0.0.1/test", "unsupported database 'mysql'"),
        ("postgresql://briefbot:s3cret-pw@127.0.0.1:1/test", "cannot open the database"),
    ],
)
def test_bad_database_urls_fail_with_one_line_and_no_password(url, message):
    with pytest.raises(StoreError) as raised:
        Store(url)
    text = str(raised.value)
    assert message in text and "s3cret-pw" not in text and "\n" not in text


def test_instances_starting_together_on_an_empty_database_all_open_it(database_url):
    """Several processes start at once on a database without the schema yet (PostgreSQL:
    a fresh schema each time, so the tables really are missing)."""
    import threading

    opened, errors = [], []

    def open_store():
        try:
            opened.append(Store(database_url))
        except StoreError as error:
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(6)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [] and len(opened) == 6
        assert opened[0].claim_event("k") is True and opened[1].claim_event("k") is False
    finally:
        for store in opened:
            store.close()
