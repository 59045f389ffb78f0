"""The store: conversations, event claims, briefing cache, digest subscriptions and ledger."""
