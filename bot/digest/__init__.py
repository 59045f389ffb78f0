"""The daily digest: subscriptions per channel, a schedule in each channel's local time, one post a day."""
