"""Tiny random models for plumbing tests: BART, Marian and Llama, saved with `save_pretrained`.

Each builder writes a complete model directory (config.json, model.safetensors, a fast tokenizer trained
on the given text, generation_config.json) that loads through the same `models.load` code as a real
model. The weights are random, so the output is noise: use these for shapes, batching, determinism and
error paths, never for facts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SPECIAL_TOKENS = ["<pad>", "<s>", "</s>", "<unk>"]
# Larger than the usual 0.02, so that random outputs depend on the input (a real test of padding).
INIT_STD = 0.5
# A minimal chat template, so the causal tiny model exercises the chat-template path like SmolLM2.
TINY_CHAT_TEMPLATE = (
    "{% for message in messages %}<s> {{ message['role'] }} : {{ message['content'] }} </s> {% endfor %}"
    "{% if add_generation_prompt %}<s> assistant : {% endif %}"
)


def build_tokenizer(
    text: str,
    *,
    padding_side: str = "right",
    chat_template: str | None = None,
    model_max_length: int = 128,
    pad_last: bool = False,
    vocab_size: int | None = None,
) -> Any:
    """A word-level fast tokenizer whose vocabulary is the words and punctuation of `text`.

    pad_last puts <pad> at the end of the vocabulary, where Marian models keep it (CTranslate2 relies on it).
    vocab_size pads the vocabulary with filler words up to that size, for a model of a real model's shape.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Whitespace(), pre_tokenizers.Digits(individual_digits=True)]
    )
    specials = [t for t in SPECIAL_TOKENS if not (pad_last and t == "<pad>")]
    corpus = [text, text]  # twice: the text's words outrank the fillers (seen once) at the size limit
    if vocab_size is not None:
        corpus.append(" ".join(_filler(i) for i in range(vocab_size)))
    limit = 30_000 if vocab_size is None else vocab_size - int(pad_last)  # 30,000: the trainer's default
    trainer = trainers.WordLevelTrainer(special_tokens=specials, min_frequency=1, vocab_size=limit)
    tok.train_from_iterator(corpus, trainer)
    if pad_last:
        tok.add_special_tokens(["<pad>"])
    eos = tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", eos)])
    from tokenizers import decoders

    tok.decoder = decoders.WordPiece(prefix="##")  # joins words with spaces
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        padding_side=padding_side,
        model_max_length=model_max_length,
    )
    if chat_template is not None:
        fast.chat_template = chat_template
    return fast


def _filler(i: int) -> str:
    """A made-up word of letters only (digits would be split off by the pre-tokenizer): q, qb, ..., qz,
    qab, ... (one word per number)."""
    letters = "q"
    while i:
        i, rest = divmod(i, 26)
        letters += chr(ord("a") + rest)
    return letters


def _ids(tokenizer: Any, **extra: Any) -> dict[str, Any]:
    return {
        "vocab_size": len(tokenizer),
        "pad_token_id": tokenizer.pad_token_id,
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        **extra,
    }


def _save(model: Any, tokenizer: Any, path: Path, *, max_length: int | None = None) -> Path:
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    path.mkdir(parents=True, exist_ok=True)
    if max_length is not None:
        model.generation_config.max_length = max_length
    model.save_pretrained(path, safe_serialization=True)
    tokenizer.save_pretrained(path)
    return path


# The tiny encoder-decoder shape; builders take overrides (d_model=512, ...) for a real model's shape.
TINY_SEQ2SEQ = {
    "d_model": 32,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 128,
    "init_std": INIT_STD,
}


def build_tiny_bart(
    path: Path, text: str, *, seed: int = 0, vocab_size: int | None = None, **dims: Any
) -> Path:
    from transformers import BartConfig, BartForConditionalGeneration

    shape = TINY_SEQ2SEQ | dims
    tokenizer = build_tokenizer(
        text, vocab_size=vocab_size, model_max_length=shape["max_position_embeddings"]
    )
    ids = _ids(
        tokenizer, decoder_start_token_id=tokenizer.eos_token_id, forced_eos_token_id=tokenizer.eos_token_id
    )
    return _save_seq2seq(BartConfig, BartForConditionalGeneration, path, tokenizer, seed, shape, ids)


def build_tiny_marian(
    path: Path, text: str, *, seed: int = 0, vocab_size: int | None = None, **dims: Any
) -> Path:
    from transformers import MarianConfig, MarianMTModel

    shape = TINY_SEQ2SEQ | dims
    tokenizer = build_tokenizer(
        text, pad_last=True, vocab_size=vocab_size, model_max_length=shape["max_position_embeddings"]
    )
    ids = _ids(
        tokenizer, decoder_start_token_id=tokenizer.pad_token_id, forced_eos_token_id=tokenizer.eos_token_id
    )
    return _save_seq2seq(MarianConfig, MarianMTModel, path, tokenizer, seed, shape, ids)


def _save_seq2seq(
    config_class: Any,
    model_class: Any,
    path: Path,
    tokenizer: Any,
    seed: int,
    shape: dict[str, Any],
    ids: dict[str, Any],
) -> Path:
    """A random encoder-decoder of `shape`, seeded, saved with its tokenizer."""
    import torch

    torch.manual_seed(seed)
    model = model_class(config_class(**shape, **ids)).eval()
    return _save(model, tokenizer, path, max_length=24)


def build_tiny_llama(path: Path, text: str, *, seed: int = 0) -> Path:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = build_tokenizer(
        text, padding_side="left", chat_template=TINY_CHAT_TEMPLATE, model_max_length=512
    )
    torch.manual_seed(seed)
    config = LlamaConfig(
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        initializer_range=INIT_STD,
        tie_word_embeddings=True,
        **_ids(tokenizer),
    )
    return _save(LlamaForCausalLM(config).eval(), tokenizer, path)


def build_tiny_m2m100(path: Path, text: str, *, seed: int = 0) -> Path:
    """A tiny M2M100 (one model, many languages: the target language is forced as the first token) with a
    real M2M100Tokenizer: a small sentencepiece model trained on `text`, its vocab.json, 100 language
    tokens."""
    import json

    import sentencepiece as spm
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer
    from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES

    path.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in text.splitlines() if line.strip()]),
        model_prefix=str(path / "sentencepiece.bpe"),
        vocab_size=200,
        hard_vocab_limit=False,
        model_type="unigram",
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        minloglevel=2,
    )
    processor = spm.SentencePieceProcessor(model_file=str(path / "sentencepiece.bpe.model"))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {token: i for i, token in enumerate(["<s>", "<pad>", "</s>", "<unk>"])}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    (path / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    # The language tokens are special tokens, as in facebook/m2m100_418M's special_tokens_map.json.
    languages = [f"__{code}__" for code in FAIRSEQ_LANGUAGE_CODES["m2m100"]]
    tokenizer = M2M100Tokenizer(
        str(path / "vocab.json"),
        str(path / "sentencepiece.bpe.model"),
        model_max_length=TINY_SEQ2SEQ["max_position_embeddings"],
        additional_special_tokens=languages,
    )
    ids = _ids(tokenizer, decoder_start_token_id=tokenizer.eos_token_id)
    # the vocabulary, then the language tokens, then 8 made-up words
    ids["vocab_size"] = tokenizer.encoder_size + len(languages) + tokenizer.num_madeup_words
    return _save_seq2seq(
        M2M100Config, M2M100ForConditionalGeneration, path, tokenizer, seed, TINY_SEQ2SEQ, ids
    )
