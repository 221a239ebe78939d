"""``openai``: any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp).

The API key is read from an environment variable at call time and is never
stored in the system's description, the results, or an error message.
Requests that fail with 429, a 5xx status, a timeout or a dropped
connection are retried with exponential backoff (``Retry-After`` honoured,
capped); a malformed answer fails that article at once, with the reason.
Articles are sent ``max_concurrency`` at a time.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from bench.data.article import Article
from bench.errors import BenchError
from bench.specs import SystemSpec
from bench.systems.base import System, SystemFailure

DEFAULT_PROMPT = (
    "Rewrite the following news article in your own words. Keep every fact: every name, "
    "number, amount and date must stay exactly as stated. Reply with the rewritten article "
    "only.\n\n{article}"
)
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_WAIT = 60.0


class OpenAISystem(System):
    """A model behind an OpenAI-compatible chat completions endpoint, hosted or local.
    The key is read from the environment variable ``api_key_env`` and never recorded."""

    type_name = "openai"
    summary = (
        "an OpenAI-compatible chat endpoint (options: base_url, model, prompt, temperature, "
        "max_concurrency, retries, timeout, api_key_env)"
    )

    def __init__(
        self,
        spec: SystemSpec,
        *,
        base_url: str,
        model: str,
        prompt: str = DEFAULT_PROMPT,
        system_prompt: str | None = None,
        temperature: float = 0.0,
        max_tokens: int | None = None,
        timeout: float = 120.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_concurrency: int = 4,
        api_key_env: str = "OPENAI_API_KEY",
    ) -> None:
        super().__init__(spec)
        if not base_url.startswith(("http://", "https://")):
            raise BenchError(f"system {spec.name!r}: base_url must start with http:// or https://")
        if "{article}" not in prompt:
            raise BenchError(f"system {spec.name!r}: the prompt must contain {{article}}")
        if max_concurrency < 1 or retries < 0 or timeout <= 0 or backoff < 0:
            raise BenchError(
                f"system {spec.name!r}: need max_concurrency >= 1, retries >= 0, timeout > 0, "
                "backoff >= 0"
            )
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.prompt = prompt
        self.system_prompt = system_prompt
        self.temperature = float(temperature)
        self.max_tokens = max_tokens
        self.timeout = float(timeout)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.max_concurrency = int(max_concurrency)
        self.api_key_env = api_key_env

    def _request(self, article: Article) -> urllib.request.Request:
        messages = [{"role": "user", "content": self.prompt.replace("{article}", article.text)}]
        if self.system_prompt:
            messages.insert(0, {"role": "system", "content": self.system_prompt})
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
        }
        if self.max_tokens is not None:
            body["max_tokens"] = self.max_tokens
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return urllib.request.Request(
            self.url, data=json.dumps(body).encode(), headers=headers, method="POST"
        )

    def paraphrase(self, article: Article) -> str:
        """One request for one article. Timeouts, lost connections and the statuses in
        ``RETRY_STATUSES`` are retried with exponential backoff (or after the server's
        Retry-After); any other HTTP error fails the article at once."""
        last = "no attempt made"
        for attempt in range(self.retries + 1):
            wait = self.backoff * 2**attempt
            try:
                with urllib.request.urlopen(self._request(article), timeout=self.timeout) as reply:
                    payload = reply.read()
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
                if exc.code not in RETRY_STATUSES:
                    raise SystemFailure(f"{last} from the endpoint (not retried)") from None
                retry_after = exc.headers.get("Retry-After") if exc.headers else None
                if retry_after and retry_after.replace(".", "", 1).isdigit():
                    wait = float(retry_after)
            except TimeoutError:
                last = f"timed out after {self.timeout:g} s"
            except urllib.error.URLError as exc:
                last = f"connection failed: {exc.reason}"
            except OSError as exc:
                last = f"connection failed: {exc}"
            else:
                return _content(payload)
            if attempt < self.retries:
                time.sleep(min(wait, MAX_WAIT))
        raise SystemFailure(f"{last} (gave up after {self.retries + 1} attempts)")

    def paraphrase_many(
        self, articles: Sequence[Article]
    ) -> Iterator[tuple[Article, str | SystemFailure]]:
        """Up to ``max_concurrency`` requests in flight at once, answers as they come."""
        with ThreadPoolExecutor(max_workers=self.max_concurrency) as pool:
            futures = {pool.submit(self.paraphrase, a): a for a in articles}
            for future in as_completed(futures):
                article = futures[future]
                try:
                    yield article, future.result()
                except SystemFailure as exc:
                    yield article, exc

    def describe(self) -> dict[str, Any]:
        # The spec's options are the user's own settings: no key is ever among them.
        return {**super().describe(), "url": self.url, "api_key_env": self.api_key_env}


def _content(payload: bytes) -> str:
    try:
        data = json.loads(payload)
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        snippet = payload[:80].decode("utf-8", "replace")
        raise SystemFailure(
            f"malformed response (expected choices[0].message.content): {snippet!r}"
        ) from None
    if not isinstance(content, str):
        raise SystemFailure("malformed response: message content is not a string")
    return content
