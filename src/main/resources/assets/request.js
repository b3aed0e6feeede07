// A payment request's page: copy buttons, and the tally kept live by polling the link's JSON view.
const section = document.getElementById("request");
const POLL_MS = 3000;

function money(minor, currency) {
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  const shown = format.format(minor / 10 ** digits);
  return shown.includes(currency) ? shown : `${shown} ${currency}`;
}

async function poll() {
  try {
    const answer = await fetch(section.dataset.poll, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (answer.ok) {
      const request = (await answer.json()).payment_request;
      if (request && String(request.paid_amount) !== section.dataset.paid) {
        section.dataset.paid = String(request.paid_amount);
        document.getElementById("tally").textContent =
          `${money(request.paid_amount, request.currency)} of ${money(request.amount, request.currency)}`;
      }
      if (request && request.status !== section.dataset.status) {
        window.location.reload(); // paid in full, canceled or expired: the page shows no pay actions any more
        return;
      }
    }
  } catch (networkError) {
    // A dropped connection is retried on the next tick.
  }
  setTimeout(poll, POLL_MS);
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const status = document.getElementById("copied");
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      status.textContent = "Copied to the clipboard.";
    } catch (refused) {
      status.textContent = "Copy did not work here: select the address and copy it.";
    }
  });
}

if (section && section.dataset.status && document.getElementById("tally")) {
  setTimeout(poll, POLL_MS);
}
