"""The model engine: the chat-model seam, the prompts, and the OpenAI-compatible client."""
