"""A fast tokenizer without transformers: `tokenizers` + the chat template rendered with jinja2.

The CTranslate2 runtime needs only encode, decode, token<->id and the chat template; importing
transformers for them costs seconds (it imports torch) and hundreds of MB. This covers a model directory
with a `tokenizer.json` (every Llama-family chat model saved by transformers); anything else falls back to
transformers' AutoTokenizer. Rendering follows transformers' chat-template environment (sandboxed,
trim_blocks, lstrip_blocks, loopcontrols, raise_exception, tojson, the special tokens as variables).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from keepfacts.errors import ModelError


class LightTokenizer:
    def __init__(self, tokenizer: Any, config: dict[str, Any], chat_template: str | None) -> None:
        self._tokenizer = tokenizer
        self.chat_template = chat_template
        self.special = {
            name: _content(config.get(name)) for name in ("bos_token", "eos_token", "unk_token", "pad_token")
        }
        self.eos_token = self.special["eos_token"]
        self.eos_token_id = tokenizer.token_to_id(self.eos_token) if self.eos_token else None
        limit = config.get("model_max_length")
        self.model_max_length = limit if isinstance(limit, int) else 1 << 60
        self._template: Any = None

    @classmethod
    def load(cls, directory: Path) -> LightTokenizer | None:
        """The tokenizer of a model directory, or None when it has no tokenizer.json."""
        tokenizer_file = directory / "tokenizer.json"
        if not tokenizer_file.is_file():
            return None
        from tokenizers import Tokenizer

        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            config_file = directory / "tokenizer_config.json"
            config = json.loads(config_file.read_text(encoding="utf-8")) if config_file.is_file() else {}
        except Exception as error:
            raise ModelError(f"cannot load the tokenizer in {directory}: {error}") from error
        template_file = directory / "chat_template.jinja"
        template = template_file.read_text(encoding="utf-8") if template_file.is_file() else None
        template = template or (
            config.get("chat_template") if isinstance(config.get("chat_template"), str) else None
        )
        return cls(tokenizer, config, template)

    def __call__(self, text: str | list[str], add_special_tokens: bool = True) -> dict[str, Any]:
        if isinstance(text, str):
            return {"input_ids": self._tokenizer.encode(text, add_special_tokens=add_special_tokens).ids}
        encoded = self._tokenizer.encode_batch(text, add_special_tokens=add_special_tokens)
        return {"input_ids": [item.ids for item in encoded]}

    def convert_ids_to_tokens(self, ids: list[int]) -> list[str]:
        return [self._tokenizer.id_to_token(i) for i in ids]

    def convert_tokens_to_ids(self, tokens: list[str]) -> list[int]:
        return [self._tokenizer.token_to_id(t) for t in tokens]

    def decode(self, ids: list[int], skip_special_tokens: bool = False) -> str:
        return str(self._tokenizer.decode(list(ids), skip_special_tokens=skip_special_tokens))

    def apply_chat_template(
        self, messages: list[dict[str, str]], tokenize: bool = False, add_generation_prompt: bool = False
    ) -> str:
        if tokenize:
            raise ValueError("LightTokenizer.apply_chat_template renders text only")
        if self._template is None:
            if not self.chat_template:
                raise ValueError("this tokenizer has no chat template")
            self._template = _compile(self.chat_template)
        return str(
            self._template.render(
                messages=messages, add_generation_prompt=add_generation_prompt, **self.special
            )
        )


def _content(token: Any) -> str | None:
    if isinstance(token, dict):
        token = token.get("content")
    return token if isinstance(token, str) else None


def _compile(source: str) -> Any:
    import jinja2
    from jinja2.ext import loopcontrols
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str) -> None:
        raise jinja2.exceptions.TemplateError(message)

    def tojson(value: Any, ensure_ascii: bool = False, indent: Any = None, **kwargs: Any) -> str:
        return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, **kwargs)

    def strftime_now(fmt: str) -> str:
        from datetime import datetime

        return datetime.now().strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env.from_string(source)
