#!/usr/bin/env python3
"""A real MCP client (the `mcp` Python SDK from PyPI) against `cabe mcp` over stdio.

Lists the tools (names, input and output schemas), calls check_prompt with the case cabe
was born from (a Qwen3-Coder-30B-A3B Ollama model capped at 131,072 tokens, a 146,760-token
prompt, a 300 s client timeout, 400 tokens/s of prefill, a 64 GB machine) and checks the
three problems and the fix; calls fit, recommend and doctor (the SDK validates each answer
against the tool's output schema); and checks that refused calls are MCP errors after which
the server keeps answering.

    client.py CABE_BINARY [--models-dir DIR --ollama-model NAME]

With --models-dir, check_prompt is also asked about the installed Ollama model NAME read from
that store (offline), and must agree. Exit status 0 when every check holds; otherwise the
failed check is printed and the status is 1. The server's environment is this process's.
"""

import argparse
import asyncio
import os
import sys

from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client

TOOLS = {"fit", "recommend", "doctor", "plan", "check_prompt"}
SEED_PROBLEMS = ["ctx-below-native", "prompt-over-ctx", "prefill-over-timeout"]
WORKLOAD = {"prompt_tokens": 146760, "timeout": 300, "prefill_rate": 400, "memory": "64GB"}


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def check_seed_answer(r, label):
    check(not r.is_error, f"{label}: tool error {r.content}")
    v = r.structured_content
    ids = [p["id"] for p in v["problems"]]
    check(ids == SEED_PROBLEMS, f"{label}: problems {ids}, want {SEED_PROBLEMS}")
    check(v["ok"] is False and v["fits_context"] is False, f"{label}: ok/fits_context {v}")
    check(v["ctx"] == 131072 and v["native_ctx"] == 262144, f"{label}: ctx {v['ctx']}")
    by_id = {p["id"]: p for p in v["problems"]}
    check(by_id["prompt-over-ctx"]["numbers"]["over_by"] == 15688, f"{label}: over_by")
    check(by_id["prefill-over-timeout"]["numbers"]["prefill_s"] == 366.9, f"{label}: prefill_s")
    check("shorter prompt" in by_id["prefill-over-timeout"]["fix"], f"{label}: prefill fix")
    fix = v["fix"]
    # A context that holds the prompt and fits the machine, and a timeout past the prefill.
    check(fix["ctx"] == 262144 and fix["ctx"] >= 146760, f"{label}: fix ctx {fix['ctx']}")
    check("→ fits" in (fix["memory"] or ""), f"{label}: fix memory {fix['memory']}")
    check(fix["client_timeout_s"] == 600, f"{label}: timeout {fix['client_timeout_s']}")
    check("PARAMETER num_ctx 262144" in (fix["modelfile"] or ""), f"{label}: modelfile")
    return v


async def expect_protocol_error(session, name, arguments, what):
    try:
        r = await session.call_tool(name, arguments)
    except MCPError as e:
        return e.code
    raise AssertionError(f"{what}: no MCP error, got {r}")


async def run(args):
    server = StdioServerParameters(command=args.cabe, args=["mcp"], env=dict(os.environ))
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            check(init.server_info.name == "cabe", f"server name {init.server_info.name}")

            tools = (await session.list_tools()).tools
            names = {t.name for t in tools}
            check(names == TOOLS, f"tools {sorted(names)}, want {sorted(TOOLS)}")
            for t in tools:
                s = t.input_schema
                check(s.get("type") == "object" and s.get("properties"), f"{t.name}: input schema {s}")
                check(t.output_schema and t.output_schema.get("type") == "object", f"{t.name}: output schema")
                check(t.description, f"{t.name}: no description")
            cp = next(t for t in tools if t.name == "check_prompt")
            check(cp.input_schema.get("required") == ["prompt_tokens"], f"check_prompt required {cp.input_schema}")

            seed = dict(WORKLOAD, model="qwen3-coder:30b", ctx=131072, runtime="ollama")
            v = check_seed_answer(await session.call_tool("check_prompt", seed), "catalog")
            print(f"check_prompt (catalog): {[p['id'] for p in v['problems']]}; fix: num_ctx {v['fix']['ctx']}, "
                  f"client timeout {v['fix']['client_timeout_s']} s")

            if args.models_dir:
                store = dict(WORKLOAD, ollama_model=args.ollama_model, models_dir=args.models_dir, offline=True)
                w = check_seed_answer(await session.call_tool("check_prompt", store), "ollama store")
                check(w["problems"][2]["numbers"] == v["problems"][2]["numbers"], "store and catalog prefill differ")
                print(f"check_prompt (Ollama store): {[p['id'] for p in w['problems']]}; {w['ctx_source']}")

            # The other tools: the SDK validates each structured answer against its schema.
            r = await session.call_tool("fit", {"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": "128k"})
            check(not r.is_error and r.structured_content["fits"] is True, f"fit {r.content}")
            r = await session.call_tool("recommend", {"use": "code", "memory": "24GB", "bandwidth": 400})
            check(not r.is_error and r.structured_content["picks"], f"recommend {r.content}")
            r = await session.call_tool(
                "doctor", {"model": "qwen3-coder:30b", "catalog": True, "ctx": 131072, **WORKLOAD})
            check(not r.is_error, f"doctor {r.content}")
            check([f["id"] for f in r.structured_content["findings"]] == SEED_PROBLEMS, "doctor findings")
            check(r.structured_content["applied"] is None, "doctor applied something")

            # Refused: protocol errors for an unknown tool or a wrong type, tool errors for a
            # value the command line refuses; the server answers on after each.
            code = await expect_protocol_error(session, "no_such_tool", {}, "unknown tool")
            check(code == -32602, f"unknown tool: code {code}")
            code = await expect_protocol_error(
                session, "check_prompt", {"prompt_tokens": 1e300, "model": "qwen3-coder-30b-a3b"}, "1e300 tokens")
            check(code == -32602, f"1e300 tokens: code {code}")
            for bad, want in [
                ({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 10**15}, "out of range"),
                ({"prompt_tokens": 1000, "model": "/etc/passwd", "ctx": 4096}, "file path"),
                ({"prompt_tokens": 1000, "model": "qwen3-coder-30b-a3b", "ctx": 4096, "prefill_rate": -1}, "prefill_rate"),
            ]:
                r = await session.call_tool("check_prompt", bad)
                text = " ".join(getattr(c, "text", "") for c in r.content)
                check(r.is_error and want in text, f"{bad}: {r}")
            check_seed_answer(await session.call_tool("check_prompt", seed), "after the errors")
    print("mcp client: all checks passed")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cabe")
    p.add_argument("--models-dir")
    p.add_argument("--ollama-model", default="qwen3-coder:30b-v-128k")
    args = p.parse_args()
    try:
        asyncio.run(run(args))
    except AssertionError as e:
        print(f"mcp client: FAILED: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
