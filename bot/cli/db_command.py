"""``briefbot db``: the store's schema by hand. ``upgrade [REV]`` (every process also upgrades to
head when it opens the store), ``current``, ``downgrade REV`` and ``revision -m MESSAGE`` for a
developer adding a migration."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="upgrade the schema (to the newest revision by default)")
    upgrade.add_argument("revision", nargs="?", default="head", help="target revision (default: head)")
    actions.add_parser("current", help="print the database's schema revision")
    downgrade = actions.add_parser("downgrade", help="downgrade the schema to REV ('base': no tables)")
    downgrade.add_argument("revision", help="target revision, e.g. 0001 or base")
    revision = actions.add_parser("revision", help="write the next numbered migration file (for developers)")
    revision.add_argument("-m", "--message", required=True, help="what the revision changes")
    revision.add_argument("--autogenerate", action="store_true",
                          help="fill it with the differences between the database (at head) and the store's tables")


def run_db(args, settings) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store import migrator
    from bot.store.database import StoreError, _create_engine, _reason, _safe_url, metadata

    engine = _create_engine(settings.database_url)
    try:
        if args.action == "upgrade":
            print(f"schema revision: {migrator.upgrade(engine, metadata, args.revision).describe()}")
        elif args.action == "downgrade":
            print(f"schema revision: {migrator.downgrade(engine, args.revision).describe()}")
        elif args.action == "current":
            print(migrator.status(engine).describe())
        else:
            print(f"wrote {migrator.new_revision(engine, args.message, autogenerate=args.autogenerate)}")
        return 0
    except migrator.SchemaError as error:
        raise StoreError(str(error)) from None
    except SQLAlchemyError as error:
        raise StoreError(f"cannot open the database {_safe_url(engine)}: {_reason(error)}") from None
    finally:
        engine.dispose()
