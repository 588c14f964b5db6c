// The storefront API (/api/v1/widget/…) of the host this script was loaded from.

// The origin serving this script, read while it runs: document.currentScript is null later.
const SCRIPT = document.currentScript || document.querySelector('script[src*="/widget/v1/luneo.js"]');
const BASE = new URL(SCRIPT ? SCRIPT.src : "/", location.href).origin;
const POLL_MS = 1500;
const POLL_FAILURES_MAX = 5;

class ApiError extends Error {
  constructor(code, message, status = 0, details = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details || {};
  }
}

class Api {
  constructor(base, key, locale) {
    this.base = base;
    this.key = key;
    this.locale = locale;
    this.storageKey = "luneo.session." + key;
  }

  url(path) {
    const url = new URL("/api/v1/widget/" + path, this.base);
    url.searchParams.set("key", this.key);
    if (this.locale) url.searchParams.set("locale", this.locale);
    return url;
  }

  // One call; the publishable key and locale go in the query so that GETs need no preflight.
  async request(method, path, { body, headers = {}, query = {} } = {}) {
    const url = this.url(path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    if (body && !(body instanceof FormData)) {
      body = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(url, { method, body, headers, mode: "cors", credentials: "omit" });
    } catch (error) {
      throw new ApiError("network_error", "");
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = data.error || {};
      throw new ApiError(error.code || "http_" + response.status, error.message || "", response.status, error.details);
    }
    return data;
  }

  config(product) {
    return this.request("GET", "config", { query: { product: product || "" } });
  }

  // --- shopper session: a token kept per key, sent with every design and order call ---

  get session() {
    try {
      return localStorage.getItem(this.storageKey);
    } catch (error) {
      return this._session; // storage blocked (private mode, sandbox): keep it in memory
    }
  }

  set session(value) {
    this._session = value;
    try {
      if (value) localStorage.setItem(this.storageKey, value);
      else localStorage.removeItem(this.storageKey);
    } catch (error) {
      // in memory only
    }
  }

  async sessionRequest(method, path, options = {}, retried = false) {
    if (!this.session) this.session = (await this.request("POST", "sessions")).session;
    const headers = { ...options.headers, "X-Luneo-Session": this.session };
    try {
      return await this.request(method, path, { ...options, headers });
    } catch (error) {
      if (error.code !== "session_invalid" || retried) throw error;
      this.session = null; // expired or revoked: a new one, once
      return this.sessionRequest(method, path, options, true);
    }
  }

  designCreate(body) {
    return this.sessionRequest("POST", "designs", { body });
  }

  design(id) {
    return this.sessionRequest("GET", "designs/" + encodeURIComponent(id));
  }

  // A ready design's new layout and text: {layout, text_layers}; its files are drawn again.
  designEdit(id, body) {
    return this.sessionRequest("PATCH", "designs/" + encodeURIComponent(id), { body });
  }

  // The same design generated again with a new seed.
  designVary(id) {
    return this.sessionRequest("POST", "designs/" + encodeURIComponent(id) + "/variations", { headers: { "Idempotency-Key": uuid() } });
  }

  // The shopper's funnel for the brand's analytics: never in the shopper's way, so errors are dropped.
  funnel(id, step) {
    this.sessionRequest("POST", "designs/" + encodeURIComponent(id) + "/events", { body: { type: step } }).catch(() => {});
  }

  // A saved design from a reorder link (?luneo_reorder=…), given to this shopper session.
  reorder(token) {
    return this.sessionRequest("POST", "reorders", { body: { token } });
  }

  orderCreate(body, idempotencyKey) {
    return this.sessionRequest("POST", "orders", { body, headers: { "Idempotency-Key": idempotencyKey } });
  }

  // The order a Stripe Checkout session paid for, read from Stripe by the server.
  paymentConfirm(session) {
    return this.request("POST", "payments", { body: { session } });
  }

  // Follow a design live: websocket first, polling every 1.5 s if it fails or closes early.
  // onUpdate(state) for each status; onError(ApiError) if polling keeps failing.
  // Returns a function that stops following.
  follow(design, onUpdate, onError) {
    let stopped = false;
    let socket = null;
    let timer = null;
    let failures = 0;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      if (socket) socket.close();
    };
    const update = (state) => {
      if (stopped) return;
      onUpdate(state);
      if (FINAL_STATUSES.includes(state.status)) stop();
    };
    const poll = async () => {
      if (stopped) return;
      try {
        update(await this.design(design.id));
        failures = 0;
      } catch (error) {
        if (++failures >= POLL_FAILURES_MAX || error.status === 404) {
          stop();
          onError(error);
          return;
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    const fallback = () => {
      socket = null;
      if (!stopped && !timer) poll();
    };
    try {
      socket = new WebSocket(this.eventsUrl(design.links.events));
      socket.onmessage = (message) => {
        try {
          update(JSON.parse(message.data));
        } catch (error) {
          // not JSON: ignore
        }
      };
      socket.onclose = fallback;
    } catch (error) {
      fallback();
    }
    return stop;
  }

  eventsUrl(events) {
    const url = new URL(events);
    if (!url.searchParams.has("key")) url.searchParams.set("key", this.key);
    if (!url.searchParams.has("session")) url.searchParams.set("session", this.session);
    return url;
  }
}
