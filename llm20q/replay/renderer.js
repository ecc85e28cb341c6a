// llm20q's renderer for kaggle-environments' HTML player (llm_20_questions episodes).
// The env's own renderer draws one round on a canvas; this one writes the whole history up to
// the player's step as text: the keyword, "Round N of 20" (questions asked so far, the count the
// tables print), and for each team that plays a table of every round (question, answer, guess)
// and its result. A team with no name and no question (team 2 of a one-team transcript) is left
// out. The text shrinks (down to 10px) until the history fits the player's view; if it still does
// not, the view scrolls to the current round. Text goes in through textContent only: questions
// are never read as HTML.
async function renderer(context) {
  const { environment, parent, step } = context;
  const steps = environment.steps || [];
  if (!steps.length) return;
  const state = steps[Math.min(step, steps.length - 1)];
  const last = steps[steps.length - 1];
  const names = (environment.info && environment.info.TeamNames) || [];
  const rounds = 20;

  const make = (tag, text, style) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (style) node.setAttribute("style", style);
    return node;
  };

  let root = parent.querySelector("#llm20q-replay");
  if (!root) {
    root = make("div");
    root.id = "llm20q-replay";
    root.setAttribute(
      "style",
      "position:absolute;inset:0;overflow:auto;box-sizing:border-box;padding:12px 20px;" +
        "color:#fff;font-family:sans-serif;line-height:1.3;text-align:left",
    );
    parent.appendChild(root);
  }
  root.textContent = "";

  const teams = [0, 2].filter(
    (seat) => names[seat] !== undefined || last[seat].observation.questions.length > 0,
  );
  const asked = Math.max(0, ...teams.map((seat) => state[seat].observation.questions.length));
  const keyword = state[1].observation.keyword || last[1].observation.keyword || "?";
  const category = state[1].observation.category || last[1].observation.category || "";

  const head = make("div", undefined, "display:flex;justify-content:space-between;margin-bottom:8px");
  head.appendChild(
    make("div", `Keyword: ${keyword}` + (category ? ` (${category})` : ""), "font-size:1.35em"),
  );
  const round = make("div", asked ? `Round ${asked} of ${rounds}` : "Before round 1", "font-size:1.35em");
  round.id = "llm20q-round";
  head.appendChild(round);
  root.appendChild(head);

  const columns = make(
    "div",
    undefined,
    `display:grid;gap:24px;grid-template-columns:repeat(${Math.max(1, teams.length)},minmax(0,1fr))`,
  );
  root.appendChild(columns);

  teams.forEach((seat, index) => {
    const guesser = state[seat];
    const obs = guesser.observation;
    const column = make("section");
    column.setAttribute("data-team", String(index + 1));
    const who = names[seat]
      ? `: ${names[seat]} (questions, guesses) and ${names[seat + 1] || "?"} (answers)`
      : "";
    column.appendChild(make("div", `Team ${index + 1}${who}`, "color:#9fd8ff;margin-bottom:4px"));

    const table = make("table", undefined, "border-collapse:collapse;width:100%");
    const header = make("tr");
    const widths = { "#": "2.2em", question: "auto", answer: "4.5em", guess: "22%" };
    for (const [title, width] of Object.entries(widths)) {
      const style = `text-align:left;color:#aaa;font-weight:normal;padding:2px 6px;width:${width}`;
      header.appendChild(make("th", title, style));
    }
    table.appendChild(header);
    obs.questions.forEach((question, i) => {
      const row = make("tr");
      row.setAttribute("data-round", String(i + 1));
      const current = i === obs.questions.length - 1;
      if (current) row.setAttribute("style", "background:#2c3440");
      const answer = obs.answers[i] || "";
      const colour = answer === "yes" ? "#7bd88f" : answer === "no" ? "#ff7b7b" : "#fff";
      const cell = "padding:2px 6px;vertical-align:top;border-top:1px solid #333";
      row.appendChild(make("td", String(i + 1), cell + ";color:#aaa"));
      row.appendChild(make("td", question, cell + ";overflow-wrap:anywhere"));
      row.appendChild(make("td", answer, cell + ";color:" + colour));
      row.appendChild(make("td", obs.guesses[i] || "", cell + ";overflow-wrap:anywhere"));
      table.appendChild(row);
    });
    column.appendChild(table);

    let result = "";
    if (!["ACTIVE", "INACTIVE"].includes(guesser.status)) {
      result = `${guesser.status}, reward ${guesser.reward}`;
    }
    const line = make("div", result, "margin-top:6px;color:#ffd479");
    line.setAttribute("data-result", String(index + 1));
    column.appendChild(line);
    columns.appendChild(column);
  });

  for (let size = 15; size >= 10; size -= 1) {
    root.style.fontSize = `${size}px`;
    if (root.scrollHeight <= root.clientHeight) break;
  }
  root.scrollTop = root.scrollHeight;
}
