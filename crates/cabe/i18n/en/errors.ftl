# The errors the command line prints ("cabe: error: …"), in English. An error's English text
# is also what --json, the web API (cabe serve) and the MCP tools carry: keep these as they are.

error-line = cabe: error: { $message }
error-usage = cabe: error: { $message } (see --help)

## Flag values (clap's value parsers)

flag-lang = '{ $value }' is not a language cabe speaks (en, es)
flag-ctx = '{ $value }' is not a number of tokens, 'native' or 'max'
flag-ctx-range = { $value } is out of range (1 to { $max } tokens)
flag-tokens = '{ $value }' is not a number of tokens
flag-tokens-range = { $value } is out of range (0 to { $max } tokens)
flag-kv-type = unknown KV type '{ $value }' (one of: { $names })
flag-runtime = unknown runtime '{ $value }' (one of: { $names })
flag-on-off = '{ $value }' is not on or off
flag-duration = '{ $value }' is not a duration (try 300s, 5m or 1m30s)
flag-size = '{ $value }' is not a size (try 64GB or 24GiB; units B, MiB, GiB, MB, GB, TB)
flag-rate = '{ $value }' is not a positive number of tokens per second

## Models and machines

error-memory-zero = --memory must be more than 0
error-remote-timeout = CABE_REMOTE_TIMEOUT={ $value } is not a duration (30, 30s, 2m)
error-remote-max-bytes = CABE_REMOTE_MAX_BYTES={ $value } is not a number of bytes
error-quant-on-file = --quant applies to catalog models; a GGUF file is sized from its own tensor types
error-not-sizable = { $location } is not a model cabe can size
error-unknown-quant = unknown quantization '{ $value }' (try one of: { $names })
error-unknown-model = unknown model '{ $query }'
error-unknown-hardware = unknown hardware '{ $query }'
error-did-you-mean = ; did you mean: { $ids }?

## GGUF files (cabe-gguf's errors, re-worded from their fields)

error-gguf-open = cannot open: { $reason }
error-io-not-found = No such file or directory
error-io-permission = Permission denied
error-gguf-directory = { $path } is a directory, not a file
error-gguf-not-a-file = { $path } is a special file, not a regular file
error-gguf-truncated = truncated GGUF: needed { $needed } bytes at offset { $offset }, file has { $size }
error-gguf-magic = not a GGUF file (its first bytes are not "GGUF")
error-gguf-v1 = GGUF v1 file: llama.cpp no longer loads GGUF v1 (re-convert it with a current convert_hf_to_gguf.py)
error-gguf-version = unsupported GGUF version { $version }: this reader supports versions 2 and 3
error-gguf-missing-shard = split model: shard { $shard } of { $count } is missing (expected { $path })
error-spec-no-architecture = GGUF has no general.architecture key: not a model file
error-spec-missing = GGUF architecture '{ $arch }' is missing { $key }
error-spec-not-a-model = GGUF is a { $kind } file, not a model (general.type = { $kind })
error-spec-range = GGUF value { $key } = { $value } is out of range

## Usage mistakes (clap's own messages are English only; these re-word the common ones)

error-clap-unknown-argument = unexpected argument '{ $arg }' found
error-clap-unknown-command = unrecognized subcommand '{ $command }'
error-clap-value-required = a value is required for '{ $arg }' but none was supplied
error-clap-invalid-value = invalid value '{ $value }' for '{ $arg }'
error-clap-possible-values = { " " }[possible values: { $values }]
error-clap-value-validation = invalid value '{ $value }' for '{ $arg }': { $reason }
error-clap-missing = the following required arguments were not provided: { $args }
error-clap-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
error-clap-repeated = the argument '{ $arg }' cannot be used multiple times

# Integer values clap parses itself (--port and the like).
error-not-an-integer = { $kind ->
    [empty] no number given
    [too-large] the number is too large
    [too-small] the number is too small
   *[invalid] not a whole number
}
error-out-of-range = { $value } is not in { $range }
