/**
 * A loopback server speaking Stripe's wire format (form-encoded requests, Stripe's JSON
 * objects, lists and error shapes) for exactly the endpoints Prep uses, so the production
 * code talks to it through the official SDK (`host`/`port`/`protocol`). Started in Node by
 * the global setup; state lives for the whole run, and every object is namespaced by its id.
 *
 * Stripe's API (what the SDK calls):
 *   GET/POST /v1/products[/{id}]              POST /v1/customers
 *   GET/POST /v1/prices[/{id}]                POST /v1/checkout/sessions
 *   GET/POST /v1/billing/meters               POST /v1/billing_portal/sessions
 *   GET      /v1/billing/meters/{id}/event_summaries
 *   POST     /v1/billing/meter_events         GET/POST /v1/subscriptions/{id}
 *   GET/POST /v1/billing_portal/configurations[/{id}]
 * What a test does to it (JSON, never called by production code):
 *   POST /__fake/checkout/{sessionId}/complete   the customer pays: a subscription exists
 *   POST /__fake/subscriptions/{id}              {"status"}: Stripe changes a subscription
 *   POST /__fake/fail                            {"path", "count"}: the next matching requests answer 500
 *   POST /__fake/meter_events/forget             {"identifier"}: Stripe lost an event (reconciliation tests)
 *   GET  /__fake/meter_events?customer=          events received, one per identifier
 *   GET  /__fake/requests                        every API request: method, path, Stripe-Version
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

type Obj = Record<string, unknown>;

export interface StripeFake {
  url: string;
  close(): Promise<void>;
}

/** `a[b][0][c]=v` → `{a: {b: [{c: "v"}]}}`, as Stripe (and the SDK's encoder) nest parameters. */
export function parseForm(text: string): Obj {
  const root: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const parts = rawKey.replace(/\]/g, "").split("[");
    let node: Obj | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(parts[i + 1] as string);
      const key: string | number = Array.isArray(node) ? (part === "" ? node.length : Number(part)) : part;
      const container = node as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        container[key] ??= nextIsIndex ? [] : {};
        node = container[key] as Obj | unknown[];
      }
    });
  }
  return root;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);
const num = (value: unknown) => (value === undefined || value === "" ? null : Number(value));
const list = (url: string, data: unknown[]) => ({ object: "list", url, has_more: false, data });

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startStripeFake(): Promise<StripeFake> {
  const products = new Map<string, Obj>();
  const prices = new Map<string, Obj>();
  const meters = new Map<string, Obj>();
  const portalConfigs = new Map<string, Obj>();
  const customers = new Map<string, Obj>();
  const sessions = new Map<string, Obj>();
  const subscriptions = new Map<string, Obj>();
  /** Meter events by identifier: Stripe keeps one per identifier. */
  const meterEvents = new Map<string, Obj>();
  const requests: Obj[] = [];
  const failures: { path: string; count: number }[] = [];

  const error = (status: number, message: string, type = "invalid_request_error", code?: string) => ({
    status,
    body: { error: { type, message, ...(code ? { code } : {}) } },
  });
  const missing = (what: string, key: string) =>
    error(404, `No such ${what}: '${key}'`, "invalid_request_error", "resource_missing");

  function priceFrom(p: Obj): Obj {
    const recurring = p.recurring as Obj | undefined;
    const tiers = (p.tiers as Obj[] | undefined)?.map((t) => ({
      up_to: t.up_to === "inf" ? null : num(t.up_to),
      unit_amount: num(t.unit_amount),
      unit_amount_decimal:
        (t.unit_amount_decimal as string | undefined) ??
        (t.unit_amount !== undefined ? String(t.unit_amount) : null),
      flat_amount: null,
      flat_amount_decimal: null,
    }));
    return {
      id: id("price"),
      object: "price",
      active: true,
      billing_scheme: p.billing_scheme ?? "per_unit",
      created: now(),
      currency: p.currency,
      livemode: false,
      lookup_key: p.lookup_key ?? null,
      metadata: p.metadata ?? {},
      nickname: p.nickname ?? null,
      product: p.product,
      recurring: recurring
        ? {
            interval: recurring.interval,
            interval_count: 1,
            usage_type: recurring.usage_type ?? "licensed",
            meter: recurring.meter ?? null,
          }
        : null,
      tiers_mode: p.tiers_mode ?? null,
      tiers: tiers ?? null,
      type: recurring ? "recurring" : "one_time",
      unit_amount: num(p.unit_amount),
      unit_amount_decimal: p.unit_amount !== undefined ? String(p.unit_amount) : null,
    };
  }

  function subscriptionFrom(session: Obj): Obj {
    const start = now();
    const end = start + 30 * 86_400;
    const subscriptionId = id("sub");
    const items = (session.line_items as Obj[]).map((line) => itemFor(line, start, end, subscriptionId));
    const data = session.subscription_data as Obj | undefined;
    return {
      id: subscriptionId,
      object: "subscription",
      created: start,
      customer: session.customer,
      status: "active",
      metadata: (data?.metadata as Obj | undefined) ?? {},
      cancel_at_period_end: false,
      items: list(`/v1/subscription_items?subscription=${subscriptionId}`, items),
      livemode: false,
    };
  }

  function itemFor(line: Obj, start: number, end: number, subscription: string): Obj {
    const price = prices.get(line.price as string);
    if (!price) throw new Error(`no price ${String(line.price)}`);
    const metered = (price.recurring as Obj | null)?.usage_type === "metered";
    return {
      id: id("si"),
      object: "subscription_item",
      price,
      quantity: metered ? undefined : (num(line.quantity) ?? 1),
      current_period_start: start,
      current_period_end: end,
      subscription,
      metadata: {},
    };
  }

  async function api(method: string, path: string, params: Obj): Promise<{ status: number; body: unknown }> {
    const parts = path.split("/").filter(Boolean).slice(1); // after "v1"
    const [resource, key, sub] = parts;
    switch (true) {
      case method === "GET" && resource === "products" && !!key: {
        const product = products.get(key as string);
        return product ? { status: 200, body: product } : missing("product", key as string);
      }
      case method === "POST" && resource === "products" && !key: {
        const product = {
          id: params.id ?? id("prod"),
          object: "product",
          active: true,
          name: params.name,
          metadata: params.metadata ?? {},
          created: now(),
        };
        products.set(product.id as string, product);
        return { status: 200, body: product };
      }
      case method === "POST" && resource === "products" && !!key: {
        const product = products.get(key as string);
        if (!product) return missing("product", key as string);
        if (params.name !== undefined) product.name = params.name;
        if (params.active !== undefined) product.active = params.active === "true";
        return { status: 200, body: product };
      }
      case method === "GET" && resource === "prices" && !key: {
        const keys = (params.lookup_keys as string[] | undefined) ?? null;
        const data = [...prices.values()].filter(
          (p) =>
            (!keys || keys.includes(p.lookup_key as string)) &&
            (params.active === undefined || String(p.active) === params.active),
        );
        return { status: 200, body: list("/v1/prices", data) };
      }
      case method === "POST" && resource === "prices" && !key: {
        if (!products.has(params.product as string)) return missing("product", params.product as string);
        if (params.lookup_key && params.transfer_lookup_key !== "true") {
          if ([...prices.values()].some((p) => p.lookup_key === params.lookup_key)) {
            return error(400, `A price (${String(params.lookup_key)}) already uses that lookup key.`);
          }
        }
        for (const p of prices.values()) if (p.lookup_key === params.lookup_key) p.lookup_key = null;
        const price = priceFrom(params);
        prices.set(price.id as string, price);
        return { status: 200, body: price };
      }
      case method === "POST" && resource === "prices" && !!key: {
        const price = prices.get(key as string);
        if (!price) return missing("price", key as string);
        if (params.active !== undefined) price.active = params.active === "true";
        return { status: 200, body: price };
      }
      case method === "GET" && resource === "billing" && key === "meters" && !sub:
        return { status: 200, body: list("/v1/billing/meters", [...meters.values()]) };
      case method === "POST" && resource === "billing" && key === "meters" && !sub: {
        const meter = {
          id: id("mtr"),
          object: "billing.meter",
          status: "active",
          created: now(),
          display_name: params.display_name,
          event_name: params.event_name,
          default_aggregation: params.default_aggregation,
          customer_mapping: params.customer_mapping,
          value_settings: params.value_settings,
        };
        meters.set(meter.id, meter);
        return { status: 200, body: meter };
      }
      case method === "GET" && resource === "billing" && key === "meters" && !!sub: {
        const meterId = sub as string;
        const meter = meters.get(meterId);
        if (!meter || parts[3] !== "event_summaries") return missing("billing.meter", meterId);
        const start = Number(params.start_time);
        const end = Number(params.end_time);
        let value = 0;
        for (const event of meterEvents.values()) {
          const payload = event.payload as Obj;
          const at = Number(event.timestamp);
          if (
            event.event_name === meter.event_name &&
            payload.stripe_customer_id === params.customer &&
            at >= start &&
            at < end
          ) {
            value += Number(payload.value);
          }
        }
        return {
          status: 200,
          body: list(`/v1/billing/meters/${meterId}/event_summaries`, [
            {
              id: id("mtrusg"),
              object: "billing.meter_event_summary",
              aggregated_value: value,
              start_time: start,
              end_time: end,
              livemode: false,
              meter: meterId,
            },
          ]),
        };
      }
      case method === "POST" && resource === "billing" && key === "meter_events": {
        const identifier = (params.identifier as string | undefined) ?? id("mev");
        const event = {
          object: "billing.meter_event",
          created: now(),
          event_name: params.event_name,
          identifier,
          payload: params.payload,
          timestamp: num(params.timestamp) ?? now(),
          livemode: false,
        };
        // Stripe keeps the first event per identifier: a retry is not counted twice.
        if (!meterEvents.has(identifier)) meterEvents.set(identifier, event);
        return { status: 200, body: meterEvents.get(identifier) };
      }
      case method === "GET" && resource === "billing_portal" && key === "configurations" && !sub:
        return { status: 200, body: list("/v1/billing_portal/configurations", [...portalConfigs.values()]) };
      case method === "POST" && resource === "billing_portal" && key === "configurations": {
        const existing = sub ? portalConfigs.get(sub as string) : undefined;
        if (sub && !existing) return missing("billing_portal.configuration", sub as string);
        const features = params.features as Obj;
        const feature = (name: string) => {
          const f = (features?.[name] as Obj | undefined) ?? {};
          return { ...f, enabled: f.enabled === "true" };
        };
        const configuration = existing ?? {
          id: id("bpc"),
          object: "billing_portal.configuration",
          active: true,
          is_default: false,
          created: now(),
          metadata: params.metadata ?? {},
        };
        Object.assign(configuration, {
          business_profile: { headline: (params.business_profile as Obj | undefined)?.headline ?? null },
          features: {
            payment_method_update: feature("payment_method_update"),
            invoice_history: feature("invoice_history"),
            subscription_cancel: feature("subscription_cancel"),
          },
        });
        portalConfigs.set(configuration.id as string, configuration);
        return { status: 200, body: configuration };
      }
      case method === "POST" && resource === "customers" && !key: {
        const customer = {
          id: id("cus"),
          object: "customer",
          created: now(),
          name: params.name ?? null,
          metadata: params.metadata ?? {},
          livemode: false,
        };
        customers.set(customer.id, customer);
        return { status: 200, body: customer };
      }
      case method === "POST" && resource === "checkout" && key === "sessions": {
        if (!customers.has(params.customer as string)) return missing("customer", params.customer as string);
        for (const line of params.line_items as Obj[]) {
          if (!prices.has(line.price as string)) return missing("price", line.price as string);
        }
        const sessionId = id("cs_test");
        const session = {
          id: sessionId,
          object: "checkout.session",
          mode: params.mode,
          customer: params.customer,
          client_reference_id: params.client_reference_id ?? null,
          status: "open",
          subscription: null,
          success_url: params.success_url,
          cancel_url: params.cancel_url,
          url: `https://checkout.stripe.com/c/pay/${sessionId}`,
          line_items: params.line_items,
          subscription_data: params.subscription_data,
          created: now(),
        };
        sessions.set(sessionId, session);
        const { line_items: _lines, subscription_data: _data, ...visible } = session;
        return { status: 200, body: visible };
      }
      case method === "POST" && resource === "billing_portal" && key === "sessions": {
        if (!customers.has(params.customer as string)) return missing("customer", params.customer as string);
        const sessionId = id("bps");
        return {
          status: 200,
          body: {
            id: sessionId,
            object: "billing_portal.session",
            customer: params.customer,
            return_url: params.return_url,
            url: `https://billing.stripe.com/p/session/${sessionId}`,
            created: now(),
          },
        };
      }
      case method === "GET" && resource === "subscriptions" && !!key: {
        const subscription = subscriptions.get(key as string);
        return subscription ? { status: 200, body: subscription } : missing("subscription", key as string);
      }
      case method === "POST" && resource === "subscriptions" && !!key: {
        const subscription = subscriptions.get(key as string);
        if (!subscription) return missing("subscription", key as string);
        const items = subscription.items as { data: Obj[] };
        const first = items.data[0] as Obj;
        for (const change of (params.items as Obj[] | undefined) ?? []) {
          const index = items.data.findIndex((item) => item.id === change.id);
          if (change.deleted === "true") {
            if (index >= 0) items.data.splice(index, 1);
            continue;
          }
          if (index >= 0) {
            const item = items.data[index] as Obj;
            if (change.price) {
              const price = prices.get(change.price as string);
              if (!price) return missing("price", change.price as string);
              item.price = price;
            }
            if (change.quantity !== undefined) item.quantity = num(change.quantity);
          } else {
            items.data.push(
              itemFor(
                change,
                first.current_period_start as number,
                first.current_period_end as number,
                subscription.id as string,
              ),
            );
          }
        }
        if (params.metadata)
          subscription.metadata = { ...(subscription.metadata as Obj), ...(params.metadata as Obj) };
        return { status: 200, body: subscription };
      }
      default:
        return error(404, `Unrecognized request URL (${method}: ${path}).`);
    }
  }

  async function control(method: string, path: string, body: Obj, query: URLSearchParams) {
    const parts = path.split("/").filter(Boolean).slice(1);
    if (method === "POST" && parts[0] === "checkout" && parts[2] === "complete") {
      const session = sessions.get(parts[1] as string);
      if (!session) return { status: 404, body: { error: "no session" } };
      const subscription = subscriptionFrom(session);
      subscriptions.set(subscription.id as string, subscription);
      Object.assign(session, { status: "complete", subscription: subscription.id });
      const { line_items: _lines, subscription_data: _data, ...visible } = session;
      return { status: 200, body: { session: visible, subscription } };
    }
    if (method === "POST" && parts[0] === "subscriptions" && parts[1]) {
      const subscription = subscriptions.get(parts[1]);
      if (!subscription) return { status: 404, body: { error: "no subscription" } };
      if (body.status) subscription.status = body.status;
      return { status: 200, body: subscription };
    }
    if (method === "POST" && parts[0] === "fail") {
      failures.push({ path: body.path as string, count: Number(body.count ?? 1) });
      return { status: 204, body: null };
    }
    if (method === "POST" && parts[0] === "meter_events" && parts[1] === "forget") {
      return { status: 200, body: { forgotten: meterEvents.delete(body.identifier as string) } };
    }
    if (method === "GET" && parts[0] === "meter_events") {
      const customer = query.get("customer");
      const data = [...meterEvents.values()].filter(
        (e) => !customer || (e.payload as Obj).stripe_customer_id === customer,
      );
      return { status: 200, body: data };
    }
    if (method === "GET" && parts[0] === "requests") return { status: 200, body: requests };
    return { status: 404, body: { error: "unknown control" } };
  }

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const method = request.method ?? "GET";
    const text = await readBody(request);
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json", "request-id": id("req") });
      response.end(body === null ? "" : JSON.stringify(body));
    };
    try {
      if (url.pathname.startsWith("/__fake/")) {
        const { status, body } = await control(
          method,
          url.pathname,
          text ? (JSON.parse(text) as Obj) : {},
          url.searchParams,
        );
        return reply(status, body);
      }
      requests.push({ method, path: url.pathname, stripeVersion: request.headers["stripe-version"] ?? null });
      if (!/^Bearer sk_(test|live)_\w+$/.test(request.headers.authorization ?? "")) {
        return reply(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
      }
      const failing = failures.find((f) => f.count > 0 && url.pathname.startsWith(f.path));
      if (failing) {
        failing.count--;
        return reply(500, { error: { type: "api_error", message: "An unknown error occurred." } });
      }
      const params = method === "GET" ? parseForm(url.search.slice(1)) : parseForm(text);
      const { status, body } = await api(method, url.pathname, params);
      return reply(status, body);
    } catch (failure) {
      return reply(500, { error: { type: "api_error", message: String(failure) } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
