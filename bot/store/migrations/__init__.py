"""The store's Alembic migration environment (env.py, script.py.mako, versions/), shipped inside the
package and driven by ``bot.store.migrator``: no alembic.ini is needed at run time."""
