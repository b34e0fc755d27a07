/**
 * Live alerts: a WebSocket to /v1/alerts/stream (the session cookie authenticates the
 * handshake), reconnecting with backoff. Each `{"type":"alert"}` message goes to `onAlert`.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Alert } from "../api/types";

export type StreamStatus = "connecting" | "live" | "offline";

export function useAlertStream(onAlert: (alert: Alert) => void, enabled = true): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const handler = useRef(onAlert);
  handler.current = onAlert;
  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let keepalive: ReturnType<typeof setInterval> | undefined;
    let attempts = 0;
    let closed = false;
    const connect = () => {
      setStatus("connecting");
      socket = new WebSocket(
        `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/alerts/stream`,
      );
      socket.onopen = () => {
        attempts = 0;
        setStatus("live");
        keepalive = setInterval(() => socket?.send("ping"), 30_000);
      };
      socket.onmessage = (event) => {
        if (typeof event.data !== "string" || !event.data.startsWith("{")) return; // "pong"
        const message = JSON.parse(event.data) as { type?: string; alert?: Alert };
        if (message.type === "alert" && message.alert) handler.current(message.alert);
      };
      socket.onclose = () => {
        clearInterval(keepalive);
        if (closed) return;
        setStatus("offline");
        retry = setTimeout(connect, Math.min(30_000, 1_000 * 2 ** attempts++));
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      clearInterval(keepalive);
      socket?.close();
    };
  }, [enabled]);
  return status;
}
