#!/usr/bin/env bash
# Where the gateway's time goes: a CPU sample profile (dotnet-trace, EventPipe) of the DIO process while wrk drives
# non-streamed 1-token completions through it at 16 connections, over the emulated 4×A100 fleet of run.sh.
#   bash bench/overhead/profile.sh [seconds]      (needs wrk, and dotnet-trace: dotnet tool install --tool-path … dotnet-trace)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
trace_tool=${DOTNET_TRACE:-dotnet-trace}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
model="meta-llama/Meta-Llama-3-8B-Instruct"
dotnet tools/Dio.Emulator/bin/Release/net10.0/Dio.Emulator.dll --fleet 4xA100-80GB --port 18100 --time-scale 1000 >"$work/emulator.log" 2>&1 &
ASPNETCORE_ENVIRONMENT=Production dotnet FrontendApi/bin/Release/net10.0/Dio.FrontendApi.dll --worker http://127.0.0.1:18100 \
  --worker http://127.0.0.1:18101 --worker http://127.0.0.1:18102 --worker http://127.0.0.1:18103 --urls http://127.0.0.1:18200 >"$work/dio.log" 2>&1 &
dio=$!
body='{"model":"'$model'","prompt":"hello","max_tokens":1}'
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -d "$body" http://127.0.0.1:18200/v1/completions || true)" = 200 ] && break
  sleep 0.2
done
printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' "'$body'" >"$work/plain.lua"
wrk -t2 -c16 -d3s -s "$work/plain.lua" http://127.0.0.1:18200/v1/completions >/dev/null
wrk -t2 -c16 -d$((seconds + 4))s -s "$work/plain.lua" http://127.0.0.1:18200/v1/completions >"$work/wrk.txt" &
sleep 1
"$trace_tool" collect -p $dio --profile dotnet-sampled-thread-time --format Speedscope --duration "00:00:$(printf %02d "$seconds")" -o "$work/dio.nettrace" >/dev/null
cp "$work/dio.speedscope.json" "${PROFILE_OUT:-/tmp/dio.speedscope.json}" 2>/dev/null || true
wait %3 2>/dev/null || true
"$trace_tool" report "$work/dio.nettrace" topN -n 40 --inclusive 2>&1 | head -60
echo "--- exclusive"
"$trace_tool" report "$work/dio.nettrace" topN -n 40 2>&1 | head -60
grep -E "Requests/sec" "$work/wrk.txt" || true
