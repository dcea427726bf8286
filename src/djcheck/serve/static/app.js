// djcheck serve: the page's script. Talks only to its own server (/api/…), carrying the launch token.
"use strict";
(function () {
  const TOKEN = document.querySelector('meta[name="djcheck-token"]').content;
  const MARK = { ok: "✔", weak: "⚠", missing: "✖", unchecked: "—" };
  const STATUS = { ok: "合格", weak: "较弱", missing: "缺失", unchecked: "无从核对" };
  const LEVEL = { error: "错误", warning: "警告", info: "提示" };
  const entries = [];
  let profiles = [];
  let queue = Promise.resolve();

  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  async function api(path, entry, asBlob) {
    const form = new FormData();
    form.append("file", entry.file, entry.file.name);
    form.append("profile", entry.profile || "");
    form.append("year", entry.year || "");
    let response;
    try {
      response = await fetch(path, { method: "POST", body: form, headers: { "X-Djcheck-Token": TOKEN } });
    } catch (e) {
      throw new Error("连接不上 djcheck：它可能已经退出，请重新启动后刷新页面。");
    }
    if (!response.ok) {
      let message = "检查失败（" + response.status + "）。";
      try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return asBlob ? response : response.json();
  }

  function fmt(n) { return n === null || n === undefined ? "" : String(Math.round(n * 10) / 10); }
  function unitOf(r) { return r.location_unit === "paragraph" ? "段" : "行"; }

  function verdictReason(r) {
    if (r.passed) return "得分达到合格线，必备内容齐全。";
    const reasons = [];
    if (r.score < r.min_score) reasons.push("得分 " + fmt(r.score) + " 低于合格线 " + fmt(r.min_score));
    const missing = r.checklist.filter((i) => i.status === "missing" && i.level === "error").map((i) => i.title);
    if (missing.length) reasons.push("缺少必备内容：" + missing.join("、"));
    if (!reasons.length) reasons.push("有未达标的检查项或问题（配置要求警告也算不通过）");
    return reasons.join("；") + "。";
  }

  // ---- one card per file ---------------------------------------------------------------
  function profileSelect(entry) {
    const select = el("select", { "aria-label": "报告类型", "data-role": "profile" },
      el("option", { value: "", text: "自动识别" }));
    for (const p of profiles) select.append(el("option", { value: p.id, text: p.title }));
    select.value = entry.profile || "";
    select.addEventListener("change", () => { entry.profile = select.value; recheck(entry); });
    return select;
  }

  function yearInput(entry) {
    const input = el("input", { type: "text", inputmode: "numeric", maxlength: "4", placeholder: "自动推定",
      "aria-label": "报告年份", "data-role": "year" });
    input.value = entry.year || "";
    input.addEventListener("change", () => {
      const v = input.value.trim();
      if (v && !/^(20\d\d|2100)$/.test(v)) { input.setCustomValidity("请填写 2000 到 2100 之间的年份"); input.reportValidity(); return; }
      input.setCustomValidity("");
      entry.year = v; recheck(entry);
    });
    return input;
  }

  function checklist(r) {
    const unit = unitOf(r);
    const body = el("tbody");
    for (const item of r.checklist) {
      const detail = el("td", {}, item.message);
      if (item.advice) detail.append(el("div", { class: "advice", text: "建议：" + item.advice }));
      if (item.evidence && item.evidence.length) {
        const ul = el("ul", { class: "evidence" });
        for (const ev of item.evidence) ul.append(el("li", { text: ev }));
        detail.append(el("div", { class: "advice", text: "依据：" }), ul);
      }
      body.append(el("tr", { class: "item", "data-id": item.id, "data-status": item.status },
        el("td", { class: "st st-" + item.status, text: MARK[item.status] + " " + STATUS[item.status] }),
        el("td", { text: item.title }), detail,
        el("td", { class: "where", text: item.line ? "第" + item.line + unit : "" })));
    }
    return el("table", { class: "checklist" }, body);
  }

  function findingsList(r) {
    if (!r.findings.length) return null;
    const unit = unitOf(r);
    const ol = el("ol", { class: "findings" });
    for (const f of r.findings) {
      ol.append(el("li", {}, "第" + f.line + unit + "第" + f.col + "列 ",
        el("span", { class: "lvl lvl-" + f.level, text: LEVEL[f.level] || f.level }), " ",
        el("span", { class: "rule", text: f.rule }), " " + f.message +
        (f.suggestion ? "（建议改为：" + f.suggestion + "）" : "")));
    }
    return el("details", { class: "findings", open: r.findings.length <= 10 },
      el("summary", { text: "问题位置（" + r.findings.length + " 处，点击展开）" }), ol);
  }

  function downloads(entry) {
    const box = el("div", { class: "downloads" });
    const name = entry.file.name.toLowerCase();
    const r = entry.result;
    if (!r || !r.recognised) return box;
    if (name.endsWith(".docx")) {
      const b = el("button", { type: "button", "data-role": "annotate", text: "下载带批注的 Word 文档" });
      b.addEventListener("click", () => download(entry, "/api/annotate", b));
      box.append(b);
    } else if (name.endsWith(".txt") || name.endsWith(".md")) {
      const b = el("button", { type: "button", "data-role": "fix", disabled: !entry.fixable,
        text: entry.fixable ? "下载自动修改稿（" + entry.fixable + " 处）" : "没有可以自动修改的地方" });
      b.addEventListener("click", () => download(entry, "/api/fix", b));
      box.append(b);
    }
    return box;
  }

  function render(entry) {
    const card = entry.card;
    card.replaceChildren();
    card.classList.remove("busy");
    card.append(el("h2", { text: entry.file.name }));
    if (entry.error) {
      card.dataset.verdict = "error";
      card.append(el("p", { class: "file-error", text: "✖ " + entry.error }));
      if (entry.result === undefined) return;
    }
    const r = entry.result;
    if (!r) return;
    const controls = el("div", { class: "controls" },
      el("label", {}, "报告类型", profileSelect(entry)),
      el("div", { class: "why", text: r.profile_reason ? "判断依据：" + r.profile_reason : "" }),
      el("label", {}, "报告年份", yearInput(entry)),
      el("div", { class: "why", text: r.year ? "年份 " + r.year + (r.year_reason ? "：" + r.year_reason : "") : "" }));
    if (!r.recognised || r.score === null) {
      card.dataset.verdict = "unrecognised";
      card.append(el("p", { class: "verdict other", text: "未识别报告类型，未评分" }),
        el("p", { class: "reason", text: (r.profile_reason || "") + " 请在下面的“报告类型”中选择一种，会立即重新检查。" }),
        controls);
      return;
    }
    card.dataset.verdict = r.passed ? "pass" : "fail";
    card.append(
      el("p", { class: "score " + (r.passed ? "pass" : "fail"), "data-score": fmt(r.score) },
        "得分 " + fmt(r.score) + " / 100（合格线 " + fmt(r.min_score) + "）　",
        el("span", { class: "verdict " + (r.passed ? "pass" : "fail"), text: r.passed ? "通过" : "未通过" }),
        "　［" + (r.profile_title || r.profile) + "］"),
      el("p", { class: "reason", text: (r.passed ? "通过：" : "未通过的原因：") + verdictReason(r) }),
      controls);
    for (const note of r.notes || []) card.append(el("p", { class: "note", text: note }));
    card.append(el("h3", { text: "检查清单" }), checklist(r), downloads(entry));
    const list = findingsList(r);
    if (list) card.append(list);
    if (entry.draftHtml) {
      card.append(el("h3", { text: "原文（标出的文字可悬停或点击查看说明；左侧数字为" + unitOf(r) + "号）" }));
      const holder = el("div", { class: "draft-holder" });
      holder.innerHTML = entry.draftHtml; // rendered and escaped by the server (the HTML report's view)
      card.append(holder);
    }
  }

  async function checkEntry(entry) {
    entry.card.classList.add("busy");
    try {
      const out = await api("/api/view", entry);
      entry.result = out.result; entry.draftHtml = out.draft_html; entry.fixable = out.fixable; entry.error = null;
    } catch (e) {
      entry.result = undefined; entry.draftHtml = ""; entry.error = e.message;
    }
    render(entry);
    renderSummary();
  }

  function recheck(entry) {
    const status = el("span", { class: "card-status", text: "正在重新检查……" });
    const h2 = entry.card.querySelector("h2");
    if (h2) h2.append(status);
    queue = queue.then(() => checkEntry(entry));
  }

  function addFiles(fileList) {
    const added = [];
    for (const file of fileList) {
      const entry = { file, profile: "", year: "", card: el("section", { class: "file card" }) };
      entry.card.append(el("h2", { text: file.name }), el("p", { class: "note", text: "等待检查……" }));
      $("results").append(entry.card);
      entries.push(entry); added.push(entry);
    }
    if (!added.length) return;
    const bar = $("bar"), text = $("progress-text");
    $("progress").hidden = false;
    bar.max = added.length; bar.value = 0;
    queue = queue.then(async () => {
      for (let i = 0; i < added.length; i++) {
        text.textContent = "正在检查 " + (i + 1) + " / " + added.length + "：" + added[i].file.name;
        await checkEntry(added[i]);
        bar.value = i + 1;
      }
      text.textContent = "检查完毕：" + added.length + " 个文件。";
    });
  }

  // ---- several files: worst-first summary and its CSV ---------------------------------
  // Order as `djcheck check` prints it: unreadable, failed (lowest score first), unrecognised, passed.
  function rank(e) {
    const r = e.result;
    if (!r) return [0, 0, e.file.name];
    if (!r.recognised || r.score === null) return [2, 0, e.file.name];
    return [r.passed ? 3 : 1, r.score, e.file.name];
  }
  function worstFirst() {
    return entries.filter((e) => e.result !== undefined || e.error).sort((a, b) => {
      const x = rank(a), y = rank(b);
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    });
  }
  function row(e) {
    const r = e.result;
    if (!r) return [e.file.name, "", "", "", "无法读取", "", "", "", e.error || ""];
    if (!r.recognised || r.score === null) return [e.file.name, "", "", "", "未识别", "", "", "", r.profile_reason || ""];
    const titles = (s) => r.checklist.filter((i) => i.status === s).map((i) => i.title).join("；");
    return [e.file.name, r.profile_title || r.profile, fmt(r.score), fmt(r.min_score), r.passed ? "通过" : "未通过",
      titles("missing"), titles("weak"), String(r.findings.length), ""];
  }
  function renderSummary() {
    const rows = worstFirst();
    $("summary").hidden = rows.length < 2;
    const body = $("summary-body");
    body.replaceChildren();
    for (const e of rows) {
      const c = row(e);
      const v = c[4] === "通过" ? "pass" : c[4] === "未通过" ? "fail" : "other";
      body.append(el("tr", {}, el("td", { text: c[0] }), el("td", { text: c[1] }), el("td", { text: c[2] }),
        el("td", { class: "verdict " + v, text: c[4] }), el("td", { text: c[5] }), el("td", { text: c[6] }),
        el("td", { text: c[7] })));
    }
  }
  function csv() {
    const head = ["文件", "报告类型", "得分", "合格线", "结论", "缺失项", "较弱项", "问题处数", "说明"];
    const quote = (s) => (/[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
    const lines = [head, ...worstFirst().map(row)].map((cells) => cells.map(quote).join(","));
    save(new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" }), "djcheck-汇总.csv");
  }

  // ---- downloads ------------------------------------------------------------------------
  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
  function fileNameOf(response, fallback) {
    const cd = response.headers.get("content-disposition") || "";
    const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
    return m ? decodeURIComponent(m[1]) : fallback;
  }
  async function download(entry, path, button) {
    const label = button.textContent;
    button.disabled = true; button.textContent = "正在生成……";
    try {
      const response = await api(path, entry, true);
      save(await response.blob(), fileNameOf(response, entry.file.name));
    } catch (e) {
      alert(e.message);
    } finally {
      button.disabled = false; button.textContent = label;
    }
  }

  // ---- start ------------------------------------------------------------------------------
  function start() {
    // The report types load while the user picks files; the first check waits for them (queue).
    queue = fetch("/api/profiles", { headers: { "X-Djcheck-Token": TOKEN } })
      .then((r) => r.json()).then((j) => { profiles = j.profiles || []; }).catch(() => { profiles = []; });
    const drop = $("drop"), input = $("files");
    input.addEventListener("change", () => { addFiles(input.files); input.value = ""; });
    for (const ev of ["dragenter", "dragover"]) drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add("over"); });
    for (const ev of ["dragleave", "drop"]) drop.addEventListener(ev, () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => { e.preventDefault(); addFiles(e.dataTransfer.files); });
    document.addEventListener("dragover", (e) => e.preventDefault());
    document.addEventListener("drop", (e) => e.preventDefault());
    drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") input.click(); });
    $("csv").addEventListener("click", csv);
    $("quit").addEventListener("click", async () => {
      if (!confirm("退出 djcheck？退出后这个页面不能再检查文件。")) return;
      try { await fetch("/api/shutdown", { method: "POST", headers: { "X-Djcheck-Token": TOKEN } }); } catch (e) { /* gone */ }
      document.querySelector("main").replaceChildren(el("p", { class: "reason", text: "djcheck 已退出，可以关闭这个页面。" }));
    });
    document.body.dataset.ready = "1";
  }
  document.addEventListener("DOMContentLoaded", start);
})();
