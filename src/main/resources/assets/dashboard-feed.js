// Home's live feed: a single-use ticket from the page's session, then the merchant's event stream
// socket (GET /v1/events/stream?ticket=…); each event is prepended as one line. Reconnects after a drop.
const feed = document.getElementById('feed');
const status = document.getElementById('feed-status');
const FEED_ITEMS_MAX = 20;
const RECONNECT_MS = 3000;

function describe(event) {
  const object = (event.data && event.data.object) || {};
  const amount = object.amount !== undefined && object.currency ? ` ${object.amount} ${object.currency} (minor units)` : '';
  return `${event.type}: ${object.id || event.id}${amount}`;
}

async function connect() {
  let answer;
  try {
    answer = await fetch('/dashboard/realtime_ticket', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRF-Token': feed.dataset.csrf, 'Accept': 'application/json' },
    });
  } catch (offline) {
    status.textContent = 'Offline; retrying…';
    setTimeout(connect, RECONNECT_MS);
    return;
  }
  if (!answer.ok) {
    status.textContent = `The live feed is unavailable (${answer.status}).`;
    return;
  }
  const { ticket } = await answer.json();
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const socket = new WebSocket(`${scheme}${location.host}/v1/events/stream?ticket=${encodeURIComponent(ticket)}`);
  socket.addEventListener('open', () => { status.textContent = 'Connected: new events appear here as they happen.'; });
  socket.addEventListener('message', (message) => {
    const event = JSON.parse(message.data);
    if (!event.type || !event.id) {
      return;
    }
    const item = document.createElement('li');
    item.className = 'feeditem';
    item.dataset.type = event.type;
    item.textContent = describe(event);
    feed.prepend(item);
    while (feed.children.length > FEED_ITEMS_MAX) {
      feed.lastElementChild.remove();
    }
  });
  socket.addEventListener('close', () => {
    status.textContent = 'Disconnected; reconnecting…';
    setTimeout(connect, RECONNECT_MS);
  });
}

connect();
