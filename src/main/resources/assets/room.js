// A wallet chat room, live: the chat WebSocket opened with a one-use ticket (a browser cannot send
// its token in a header, and the page never holds the token). Posting and paying are socket frames.
const room = document.getElementById("room");
const list = document.getElementById("messages");
const status = document.getElementById("connection");
const problem = document.getElementById("chat-error");
const payForm = document.getElementById("payform");
const me = room.dataset.me;
let socket;
let payment = null; // the payment being confirmed: its client id is its retry key until it is acked

function digits(currency) {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
}

function money(minor, currency) {
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
  const shown = format.format(minor / 10 ** digits(currency));
  return shown.includes(currency) ? shown : `${shown} ${currency}`;
}

/** "25" or "25.5" of the major unit as minor units, or null. */
function minor(text, currency) {
  const places = digits(currency);
  const match = /^(\d{1,15})(?:\.(\d*))?$/.exec(text.trim().replace(/,/g, ""));
  if (!match || (match[2] || "").length > places) return null;
  return Number(match[1]) * 10 ** places + Number((match[2] || "").padEnd(places, "0") || 0);
}

// What a transfer answering a payment request says of it (ChatLine.answering on the server).
function answering(request) {
  const what = request.description ? ` for \u201c${request.description}\u201d` : " for their request";
  return `${what}: ${money(request.paid_amount, request.currency)} of ${money(request.amount, request.currency)} paid`
    + ` (${request.status.replace("_", " ")})`;
}

function lineText(message) {
  if (message.kind === "transfer") {
    const t = message.transfer;
    const request = t.payment_request;
    return `${t.from} paid ${money(t.amount, t.currency)} to ${t.to}` + (request ? answering(request) : "");
  }
  if (message.kind === "payment_request") {
    const r = message.payment_request;
    return `${message.sender} asks for ${money(r.amount, r.currency)}` + (r.description ? `: ${r.description}` : "");
  }
  return message.text;
}

function append(message) {
  if (message.room_id !== room.dataset.room || list.querySelector(`[data-seq="${message.seq}"]`)) return;
  const item = document.createElement("li");
  item.className = `message ${message.kind}${message.sender === me ? " mine" : ""}`;
  item.dataset.seq = String(message.seq);
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = message.sender;
  item.append(who, document.createTextNode(lineText(message)));
  const request = message.payment_request;
  if (message.kind === "payment_request" && message.sender !== me) {
    const left = request.amount - (request.paid_amount || 0);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "pay";
    button.dataset.request = request.id;
    button.dataset.to = message.sender;
    button.dataset.currency = request.currency;
    button.dataset.amount = (left / 10 ** digits(request.currency)).toFixed(digits(request.currency));
    button.textContent = `Pay ${button.dataset.amount} ${request.currency}`;
    item.append(" ", button);
  }
  list.append(item);
  item.scrollIntoView({ block: "nearest" });
  if (message.kind === "transfer" && message.transfer.payment_request) settle(message.transfer.payment_request);
  markRead();
}

/** A receipt moved a request's tally: its Pay buttons offer what is left, or go once it is paid. */
function settle(request) {
  const left = request.amount - request.paid_amount;
  for (const button of list.querySelectorAll(`button.pay[data-request="${CSS.escape(request.id)}"]`)) {
    if (left <= 0 || !["open", "partially_paid"].includes(request.status)) {
      button.remove();
    } else {
      button.dataset.amount = (left / 10 ** digits(request.currency)).toFixed(digits(request.currency));
      button.textContent = `Pay ${button.dataset.amount} ${request.currency}`;
    }
  }
}

let readTimer = null;

/** Moves the read marker to the newest message shown (once a second at most). */
function markRead() {
  if (readTimer) return;
  readTimer = setTimeout(async () => {
    readTimer = null;
    const seqs = [...list.querySelectorAll("[data-seq]")].map((item) => Number(item.dataset.seq));
    if (!seqs.length) return;
    try {
      await fetch(`/wallet/rooms/${encodeURIComponent(room.dataset.room)}/read?seq=${Math.max(...seqs)}`, {
        method: "POST", headers: { "X-CSRF-Token": room.dataset.csrf, Accept: "application/json" },
      });
    } catch (networkError) {
      // The next message moves it again.
    }
  }, 1000);
}

function presence(frame) {
  const person = room.querySelector(`[data-user="${CSS.escape(frame.user.username)}"]`);
  if (!person) return;
  const on = frame.event === "joined";
  person.querySelector(".online").classList.toggle("on", on);
  person.querySelector(".state").textContent = on ? "online" : "offline";
}

function receive(event) {
  const frame = JSON.parse(event.data);
  if (frame.type === "ready") {
    status.textContent = "Live";
    presence({ event: "joined", user: { username: me } });
  } else if (frame.type === "message") {
    append(frame.message);
  } else if (frame.type === "presence") {
    presence(frame);
  } else if (frame.type === "ack") {
    problem.textContent = "";
    if (payment && frame.client_id === payment.client_id) {
      payment = null;
      payForm.hidden = true;
      document.getElementById("pay-pin").value = "";
    }
  } else if (frame.type === "error") {
    problem.textContent = frame.error.message;
    if (["pin_required", "invalid_pin"].includes(frame.error.code)) document.getElementById("pay-pin").focus();
  }
}

async function connect() {
  status.textContent = "Connecting…";
  try {
    const answer = await fetch("/wallet/ticket", {
      method: "POST", headers: { "X-CSRF-Token": room.dataset.csrf, Accept: "application/json" }, cache: "no-store",
    });
    if (!answer.ok) throw new Error(`ticket ${answer.status}`);
    const { ticket } = await answer.json();
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/v1/chat/ws?ticket=${encodeURIComponent(ticket)}`);
    socket.addEventListener("message", receive);
    socket.addEventListener("close", () => {
      status.textContent = "Reconnecting…";
      setTimeout(connect, 2000);
    });
  } catch (failed) {
    status.textContent = "Offline: retrying…";
    setTimeout(connect, 3000);
  }
}

function send(frame) {
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    problem.textContent = "Not connected yet: try again in a moment.";
    return;
  }
  socket.send(JSON.stringify({ type: "message", room: room.dataset.room, ...frame }));
}

document.getElementById("compose").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  if (!input.value.trim()) return;
  send({ kind: "text", text: input.value, client_id: crypto.randomUUID() });
  input.value = "";
});

list.addEventListener("click", (event) => {
  const button = event.target.closest("button.pay");
  if (!button) return;
  payment = { client_id: crypto.randomUUID(), ...button.dataset };
  document.getElementById("pay-what").textContent = `To ${button.dataset.to}, for request ${button.dataset.request}`;
  document.getElementById("pay-amount").value = button.dataset.amount;
  payForm.hidden = false;
  document.getElementById("pay-amount").focus();
});

payForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const amount = minor(document.getElementById("pay-amount").value, payment.currency);
  if (amount === null || amount <= 0) {
    problem.textContent = `Enter an amount like 25.00 ${payment.currency}.`;
    return;
  }
  const pin = document.getElementById("pay-pin").value.trim();
  send({ kind: "transfer", to: payment.to, amount, currency: payment.currency, payment_request: payment.request,
    client_id: payment.client_id, ...(pin ? { pin } : {}) });
});

document.getElementById("askform").addEventListener("submit", (event) => {
  event.preventDefault();
  const currency = document.getElementById("ask-currency").value.trim().toUpperCase();
  let amount = null;
  try {
    amount = minor(document.getElementById("ask-amount").value, currency);
  } catch (unknownCurrency) {
    problem.textContent = "Enter a currency code such as NGN.";
    return;
  }
  if (amount === null || amount <= 0) {
    problem.textContent = `Enter an amount like 25.00 ${currency}.`;
    return;
  }
  const description = document.getElementById("ask-description").value.trim();
  send({ kind: "payment_request", amount, currency, ...(description ? { description } : {}), client_id: crypto.randomUUID() });
  document.getElementById("ask").open = false;
});

document.getElementById("pay-cancel").addEventListener("click", () => {
  payment = null;
  payForm.hidden = true;
});

connect();
markRead();
