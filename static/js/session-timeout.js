// Warns before the idle logout and lets the user stay logged in. Without JavaScript the server
// still ends idle sessions; this only makes it visible and avoidable.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box || !window.fetch) { return; }
  var warnSeconds = parseInt(box.dataset.warningSeconds, 10);
  var deadline = Date.now() + parseInt(box.dataset.idleSeconds, 10) * 1000;
  var countdown = box.querySelector("[data-countdown]");
  var stay = box.querySelector("[data-keepalive]");
  var busy = false;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function goToLogin() {
    window.location.assign(box.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname));
  }

  function sync(url, method) {
    busy = true;
    var headers = method === "POST" ? { "X-CSRFToken": csrfToken() } : {};
    return fetch(url, { method: method, credentials: "same-origin", headers: headers })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.authenticated) { goToLogin(); return; }
        deadline = Date.now() + data.seconds_left * 1000;
      })
      .catch(function () { /* offline: keep the local estimate */ })
      .then(function () { busy = false; });
  }

  function format(seconds) {
    var s = Math.max(0, seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function tick() {
    if (busy) { return; }
    var left = Math.round((deadline - Date.now()) / 1000);
    if (left > warnSeconds) {
      box.hidden = true;
      return;
    }
    if (box.hidden) {
      // Another tab may have kept the session alive: ask before warning.
      sync(box.dataset.statusUrl, "GET").then(function () {
        if (Math.round((deadline - Date.now()) / 1000) <= warnSeconds) {
          box.hidden = false;
          stay.focus();
        }
      });
      return;
    }
    countdown.textContent = format(left);
    if (left <= 0) { sync(box.dataset.statusUrl, "GET"); }
  }

  stay.addEventListener("click", function () {
    sync(box.dataset.keepaliveUrl, "POST").then(function () { box.hidden = true; });
  });
  window.setInterval(tick, 1000);
})();
