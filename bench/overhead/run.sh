#!/usr/bin/env bash
# What the gateway adds, measured the way a user would: the load generator (wrk), the emulated fleet and the proxy
# each in its own process; the same fleet direct, through DIO and through nginx, in one run; 1 and 16 connections;
# non-streamed 1-token and streamed 64-token completions. Needs: wrk and nginx (apt), a Release build.
#   bash bench/overhead/run.sh [seconds-per-cell] [out.md]
# Prints a markdown table of p50, p99 and requests/s per cell, and the added p50/p99 against direct.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
out=${2:-/dev/stdout}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT

emulator_port=18100   # four servers: 18100..18103
dio_port=18200
nginx_port=18300
model="meta-llama/Meta-Llama-3-8B-Instruct"

dotnet tools/Dio.Emulator/bin/Release/net10.0/Dio.Emulator.dll --fleet 4xA100-80GB --port $emulator_port --time-scale 1000 >"$work/emulator.log" 2>&1 &
workers=()
for i in 0 1 2 3; do workers+=(--worker "http://127.0.0.1:$((emulator_port + i))"); done
ASPNETCORE_ENVIRONMENT=Production dotnet FrontendApi/bin/Release/net10.0/Dio.FrontendApi.dll "${workers[@]}" --urls "http://127.0.0.1:$dio_port" \
  >"$work/dio.log" 2>&1 &
echo $! >"$work/dio.pid"

cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  upstream fleet {
    server 127.0.0.1:$emulator_port; server 127.0.0.1:$((emulator_port + 1));
    server 127.0.0.1:$((emulator_port + 2)); server 127.0.0.1:$((emulator_port + 3));
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://fleet; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_buffering off; proxy_request_buffering off;
    }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"

# Wait until every target answers a completion (DIO: its workers registered and healthy).
body='{"model":"'$model'","prompt":"hello","max_tokens":1}'
for port in $emulator_port $dio_port $nginx_port; do
  for _ in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$port/v1/completions" || true)
    [ "$code" = 200 ] && break
    sleep 0.2
  done
  [ "$code" = 200 ] || { echo "target on port $port never answered 200"; cat "$work"/*.log; exit 1; }
done

for shape in plain stream; do
  if [ $shape = plain ]; then req='{"model":"'$model'","prompt":"hello","max_tokens":1}'
  else req='{"model":"'$model'","prompt":"hello","max_tokens":64,"stream":true}'; fi
  cat >"$work/$shape.lua" <<LUA
wrk.method = "POST"
wrk.body = '$req'
wrk.headers["Content-Type"] = "application/json"
LUA
done

# wrk's latency distribution in ms: "50.000%  1.23ms" lines (us/ms/s units normalized).
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
errors() { awk '/Non-2xx or 3xx responses:/ { n+=$NF } /Socket errors:/ { gsub(/,/,""); n+=$4+$6+$8+$10 } END { print n+0 }' "$1"; }

{
  echo "| shape | connections | target | p50 ms | p99 ms | req/s | errors | added p50 ms | added p99 ms | req/s vs nginx |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
  for shape in plain stream; do
    for conns in 1 16; do
      threads=$([ $conns = 1 ] && echo 1 || echo 2)
      for target in direct dio nginx; do
        port=$([ $target = direct ] && echo $emulator_port || ([ $target = dio ] && echo $dio_port || echo $nginx_port))
        wrk -t$threads -c$conns -d2s -s "$work/$shape.lua" "http://127.0.0.1:$port/v1/completions" >/dev/null   # warm-up
        wrk -t$threads -c$conns -d${seconds}s --latency -s "$work/$shape.lua" "http://127.0.0.1:$port/v1/completions" >"$work/$shape-$conns-$target.txt"
      done
      f="$work/$shape-$conns"
      for target in direct dio nginx; do
        p50=$(awk '/^ +50%/ { print $2 }' "$f-$target.txt"); p99=$(awk '/^ +99%/ { print $2 }' "$f-$target.txt")
        echo "$shape $conns $target $p50 $p99 $(rps "$f-$target.txt") $(errors "$f-$target.txt")"
      done
    done
  done | awk '
    function toms(v) { if (v ~ /us$/) { sub(/us$/,"",v); return v/1000 } if (v ~ /ms$/) { sub(/ms$/,"",v); return v+0 } if (v ~ /s$/) { sub(/s$/,"",v); return v*1000 } return v+0 }
    { key=$1" "$2; p50[key,$3]=toms($4); p99[key,$3]=toms($5); r[key,$3]=$6; e[key,$3]=$7; if (!(key in seen)) { order[++n]=key; seen[key]=1 } }
    END {
      for (i=1; i<=n; i++) { k=order[i]; split(k, parts, " ");
        for (t=1; t<=3; t++) { tg=(t==1?"direct":(t==2?"dio":"nginx"));
          added50=(tg=="direct"?"—":sprintf("%.2f", p50[k,tg]-p50[k,"direct"])); added99=(tg=="direct"?"—":sprintf("%.2f", p99[k,tg]-p99[k,"direct"]));
          vs=sprintf("%.2f×", r[k,tg]/r[k,"nginx"]);
          printf "| %s | %s | %s | %.2f | %.2f | %.0f | %d | %s | %s | %s |\n", parts[1], parts[2], tg, p50[k,tg], p99[k,tg], r[k,tg], e[k,tg], added50, added99, vs } } }'
} >"$out"
[ "$out" = /dev/stdout ] || cat "$out"
