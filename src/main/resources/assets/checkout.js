// Follows a hosted checkout live: polls its token-scoped status and reloads the page (rendered by
// the server) when the state changes; on a final state with a return URL, goes back to the shop.
const section = document.getElementById("checkout");
const FINAL = new Set(["succeeded", "failed", "canceled", "expired", "refunded"]);
const RETURN_AFTER_MS = 5000;

async function poll(url, state, intervalMs) {
  try {
    const answer = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (answer.ok) {
      const now = (await answer.json()).state;
      if (now !== state) {
        window.location.reload();
        return;
      }
    }
  } catch (networkError) {
    // A dropped connection (a phone changing networks) is retried on the next tick.
  }
  setTimeout(() => poll(url, state, intervalMs), intervalMs);
}

if (section) {
  const state = section.dataset.state;
  const returnUrl = section.dataset.returnUrl;
  if (!FINAL.has(state)) {
    poll(section.dataset.statusUrl, state, Number(section.dataset.pollMs) || 2000);
  } else if (returnUrl && state === "succeeded") {
    setTimeout(() => window.location.assign(returnUrl), RETURN_AFTER_MS);
  }
}
