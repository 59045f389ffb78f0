"""What an answer is: the Reply the core returns, and the engines' drafts it is made from."""
