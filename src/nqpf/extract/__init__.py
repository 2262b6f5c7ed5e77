"""Structured facts from articles: documents, dates, targets, statistics, places, industries."""

from nqpf.extract.inputs import InputArticle, InputError, count_inputs, read_inputs
from nqpf.extract.pipeline import Article, extract_article, extract_text

__all__ = ["Article", "InputArticle", "InputError", "count_inputs", "extract_article",
           "extract_text", "read_inputs"]
