"""The engines that write an answer: offline (extractive) and model (an OpenAI-compatible chat model)."""
