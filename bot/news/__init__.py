"""``/news add|list|remove`` from chat: admins manage the articles the bot knows."""
