/* ms-navigator training pages: presenter view (P) and the scenario stepper (arrows, Space).
   No library, nothing fetched. Without this script every question is shown, one under another. */
(function () {
  "use strict";
  var body = document.body;
  var toggle = document.getElementById("presenter-toggle");

  function setPresenter(on) {
    body.classList.toggle("presenter", on);
    if (body.classList.contains("stepping")) { window.scrollTo(0, 0); }
    if (toggle) { toggle.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  if (toggle) {
    toggle.addEventListener("click", function () { setPresenter(!body.classList.contains("presenter")); });
  }

  var frames = Array.prototype.slice.call(document.querySelectorAll(".frame"));
  var current = 0;
  var where = document.getElementById("where");
  var prev = document.getElementById("prev");
  var next = document.getElementById("next");

  function show(n) {
    current = Math.max(0, Math.min(frames.length - 1, n));
    frames.forEach(function (frame, i) { frame.hidden = i !== current; });
    var last = current === frames.length - 1;
    if (where) {
      where.textContent = last ? "The plan" : "Question " + (current + 1) + " of " + (frames.length - 1);
    }
    if (prev) { prev.disabled = current === 0; }
    if (next) { next.disabled = last; }
    body.setAttribute("data-frame", frames[current].id);
    window.scrollTo(0, 0);  /* one question a screen: always from its top */
  }

  if (frames.length) {
    body.classList.add("stepping");
    var controls = document.querySelector(".stepper-controls");
    if (controls) { controls.hidden = false; }
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    var start = frames.findIndex(function (f) { return "#" + f.id === window.location.hash; });
    show(start < 0 ? 0 : start);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    if (event.key === "p" || event.key === "P") { setPresenter(!body.classList.contains("presenter")); return; }
    if (!frames.length) { return; }
    var onControl = tag === "BUTTON" || tag === "A" || tag === "SUMMARY";
    var step = 0;
    if (event.key === "ArrowRight" || event.key === "ArrowDown" || event.key === "PageDown") { step = 1; }
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp" || event.key === "PageUp") { step = -1; }
    else if (event.key === " " && !onControl) { step = event.shiftKey ? -1 : 1; }
    else if (event.key === "Home") { step = -frames.length; }
    else if (event.key === "End") { step = frames.length; }
    if (step) {
      event.preventDefault();
      show(current + step);
    }
  });
}());
