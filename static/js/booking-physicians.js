// The booking search's physician list follows the chosen location: only the physicians who
// practise there, each once. Without JavaScript the server does the same on the next search.
(function () {
  "use strict";
  var form = document.querySelector("[data-physician-filter]");
  var data = document.getElementById("physicians-by-location");
  if (!form || !data) { return; }
  var location = form.querySelector("select[name=location]");
  var physician = form.querySelector("select[name=provider]");
  if (!location || !physician) { return; }
  var byLocation = JSON.parse(data.textContent);
  var anyone = physician.options[0].cloneNode(true);

  location.addEventListener("change", function () {
    var chosen = physician.value;
    var offered = byLocation[location.value] || [];
    physician.replaceChildren(anyone.cloneNode(true));
    offered.forEach(function (pair) {
      var option = new Option(pair[1], pair[0]);
      option.selected = pair[0] === chosen;
      physician.add(option);
    });
  });
})();
