// The staff console's call page: answer a kiosk's video-help call.
//
// Signalling is sync/protocol/calls.py: one WebSocket to the center (the page's data-socket path,
// ws: or wss: as the page), JSON text frames told apart by `type`. The page sends `take`,
// `answer`, `push` and `hang_up`; it hears `queue`, `taken`, `offer`, `ended`, `push_done` and
// `error`. The kiosk (aiortc) sends no trickled candidates, so neither does the page: its answer
// leaves only once ICE gathering is complete. The kiosk's offer has, in order, one audio
// transceiver, the camera's video, the screen's video: the page maps video by that order (the
// m-lines' mids), never by which track arrives first.
//
// Plain browser JavaScript, no libraries, no build step.
"use strict";

(() => {
  const root = document.getElementById("calls");
  if (!root) return;
  const W = JSON.parse(document.getElementById("call-words").textContent);
  const $ = (id) => document.getElementById(id);
  const el = {
    socket: $("socket-status"),
    queue: $("queue"),
    queueEmpty: $("queue-empty"),
    status: $("call-status"),
    notice: $("call-notice"),
    camera: $("kiosk-camera"),
    screen: $("kiosk-screen"),
    self: $("self-view"),
    audio: $("kiosk-audio"),
    hangUp: $("hang-up"),
    note: $("note"),
    saveNote: $("save-note"),
    noteStatus: $("note-status"),
    pushScreen: $("push-screen"),
    pushMessage: $("push-message"),
    pushNotice: $("push-notice"),
    pushResults: $("push-results"),
    reference: $("lookup-reference"),
    lookup: $("lookup"),
    lookupStatus: $("lookup-status"),
    lookupResult: $("lookup-result"),
  };
  const pushButtons = Array.from(document.querySelectorAll("button[data-push]"));

  const KIOSK_VIDEO_WITHIN_MS = 8000; // no camera picture by then: tell the agent it is audio only
  const GATHERING_WITHIN_MS = 10000; // ICE gathering that never completes: answer with what we have
  const RETRY_MAX_S = 30;
  const TAKEN_WITHIN_MS = 10000; // a `take` the center never answered: the list is usable again

  let socket = null;
  let socketRetries = 0;
  let retryTimer = null;
  const outbox = []; // answers and hang-ups made while the socket was down, sent when it is back
  let queue = []; // the last `queue`, each with the moment it came (the waiting time ticks from it)
  let queueAt = 0;
  // The call on this page: {id, iceServers, media (Promise of MediaStream|null), stream, pc,
  // attempt, videoMids, camera, screen, videoTimer, state}. `noteCallId` outlives it, so the
  // agent can still write the note and look up a payment after the call ended.
  let call = null;
  let taking = null;
  let noteCallId = null;
  const pendingPushes = []; // list items waiting for their push_done, oldest first

  const say = (key, values) =>
    (W[key] || key).replace(/\{(\w+)\}/g, (_, name) => (values && name in values ? values[name] : ""));

  // -- the socket --------------------------------------------------------------------------------

  function setSocketState(state, text) {
    el.socket.dataset.state = state;
    el.socket.textContent = text;
    renderQueue();
    refreshControls();
  }

  function connect() {
    retryTimer = null;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    setSocketState("connecting", say("socket_connecting"));
    let ws;
    try {
      ws = new WebSocket(scheme + location.host + root.dataset.socket);
    } catch (_error) {
      retryLater();
      return;
    }
    socket = ws;
    ws.addEventListener("open", () => {
      if (socket !== ws) return;
      socketRetries = 0;
      setSocketState("open", say("socket_open"));
      // Back after a drop with a call on: take it again, or the center ends it once the
      // resume window has passed (the kiosk is told answered again and offers anew).
      if (call && !outbox.some((frame) => frame.includes('"hang_up"'))) {
        outbox.unshift(JSON.stringify({ type: "take", call_id: call.id }));
      }
      while (outbox.length && ws.readyState === WebSocket.OPEN) ws.send(outbox.shift());
    });
    ws.addEventListener("message", (event) => {
      if (socket !== ws) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (_error) {
        return;
      }
      if (message && typeof message.type === "string") receive(message);
    });
    ws.addEventListener("close", () => {
      if (socket !== ws) return;
      socket = null;
      if (taking) {
        taking = null;
        if (!call) showStatus("idle");
      }
      retryLater();
    });
    // An error is always followed by close: retrying is decided there.
  }

  function retryLater() {
    socketRetries += 1;
    root.dataset.socketRetries = String(socketRetries);
    const base = Math.min(RETRY_MAX_S, 2 ** Math.min(socketRetries - 1, 5));
    let seconds = Math.max(1, Math.round(base * (0.8 + Math.random() * 0.4)));
    const tick = () => {
      if (seconds <= 0) {
        connect();
        return;
      }
      setSocketState("closed", say("socket_retry", { seconds }));
      seconds -= 1;
      retryTimer = setTimeout(tick, 1000);
    };
    tick();
  }

  function send(message, { keep = false } = {}) {
    const text = JSON.stringify(message);
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(text);
      return true;
    }
    if (keep) outbox.push(text);
    return false;
  }

  function receive(message) {
    switch (message.type) {
      case "queue":
        queue = Array.isArray(message.calls) ? message.calls : [];
        queueAt = performance.now();
        renderQueue();
        break;
      case "taken":
        onTaken(message);
        break;
      case "offer":
        onOffer(message).catch((error) => console.warn("offer not answered:", error));
        break;
      case "ended":
        if (call && message.call_id === call.id) endCall(message.reason);
        break;
      case "push_done":
        onPushDone(message);
        break;
      case "error":
        if (taking) {
          taking = null;
          if (!call) showStatus("idle");
        }
        showNotice("refused", say("center_refused", { message: message.message || message.code || "" }));
        renderQueue();
        refreshControls();
        break;
      default:
        break;
    }
  }

  // -- the queue ---------------------------------------------------------------------------------

  function screenName(screen) {
    return W["screen_" + screen] || screen;
  }

  function minutesSeconds(total) {
    const s = Math.max(0, Math.floor(total));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function renderQueue() {
    const free = socket && socket.readyState === WebSocket.OPEN && !call && !taking;
    const elapsed = (performance.now() - queueAt) / 1000;
    el.queue.replaceChildren(
      ...queue.map((item) => {
        const li = document.createElement("li");
        li.dataset.callId = item.call_id;
        if (call && item.call_id === call.id) li.classList.add("mine");
        const top = document.createElement("div");
        top.className = "top";
        const where = document.createElement("span");
        where.textContent = item.station + " · " + item.kiosk_id;
        const waited = document.createElement("span");
        waited.className = "waited";
        waited.dataset.waitingS = String(item.waiting_s);
        waited.title = say("waited");
        waited.textContent = minutesSeconds(item.waiting_s + elapsed);
        top.append(where, waited);
        const context = document.createElement("div");
        context.className = "context";
        const parts = [say("screen") + ": " + screenName(item.context.screen)];
        if (item.context.account_masked) parts.push(say("account") + ": " + item.context.account_masked);
        if (item.context.payment_reference)
          parts.push(say("payment_reference") + ": " + item.context.payment_reference);
        context.textContent = parts.join(" · ");
        li.append(top, context);
        if (item.taken_by) {
          const by = document.createElement("div");
          by.className = "taken-by";
          by.textContent = say("taken_by", { name: item.taken_by });
          li.append(by);
        } else {
          const take = document.createElement("button");
          take.type = "button";
          take.dataset.action = "take";
          take.dataset.callId = item.call_id;
          take.textContent = say("take");
          take.disabled = !free;
          take.addEventListener("click", () => takeCall(item));
          li.append(take);
        }
        return li;
      }),
    );
    el.queueEmpty.hidden = queue.length > 0;
  }

  function tickQueue() {
    const elapsed = (performance.now() - queueAt) / 1000;
    for (const span of el.queue.querySelectorAll(".waited")) {
      span.textContent = minutesSeconds(Number(span.dataset.waitingS) + elapsed);
    }
  }

  // -- taking and answering a call ---------------------------------------------------------------

  function takeCall(item) {
    if (call || taking) return;
    if (!send({ type: "take", call_id: item.call_id })) return;
    taking = item;
    setTimeout(() => {
      if (taking !== item) return;
      taking = null;
      if (!call) showStatus("idle");
      renderQueue();
      refreshControls();
    }, TAKEN_WITHIN_MS);
    hideNotice();
    showStatus("taking");
    renderQueue();
    refreshControls();
  }

  function onTaken(message) {
    if (call) return; // one call at a time; the center gives a browser one call
    const item = (taking && taking.call_id === message.call_id ? taking : null) ||
      queue.find((queued) => queued.call_id === message.call_id);
    taking = null;
    call = {
      id: message.call_id,
      iceServers: Array.isArray(message.ice_servers) ? message.ice_servers : [],
      media: null,
      stream: null,
      pc: null,
      attempt: 0,
      videoMids: [],
      camera: null,
      screen: null,
      videoTimer: null,
      state: "connecting",
      selfAudioOnly: false,
    };
    call.media = openMedia(call);
    noteCallId = call.id;
    el.note.value = "";
    el.noteStatus.textContent = "";
    el.pushResults.replaceChildren();
    pendingPushes.length = 0;
    el.lookupResult.hidden = true;
    el.lookupStatus.textContent = "";
    if (item && item.context && item.context.payment_reference) {
      el.reference.value = item.context.payment_reference;
    }
    hideNotice();
    showStatus("connecting");
    renderQueue();
    refreshControls();
  }

  // The agent's microphone and camera; the camera missing or refused leaves audio only (and
  // says so); no microphone either leaves a call the agent can only watch (and says so).
  async function openMedia(current) {
    const devices = navigator.mediaDevices;
    let stream = null;
    if (devices && devices.getUserMedia) {
      try {
        stream = await devices.getUserMedia({ audio: true, video: true });
      } catch (_error) {
        try {
          stream = await devices.getUserMedia({ audio: true });
          current.selfAudioOnly = true;
        } catch (_again) {
          stream = null;
        }
      }
    }
    if (call !== current) {
      // The call ended while the browser asked: let go of the devices at once.
      if (stream) stream.getTracks().forEach((track) => track.stop());
      return null;
    }
    current.stream = stream;
    if (!stream) {
      showNotice("no_microphone");
    } else {
      if (current.selfAudioOnly || stream.getVideoTracks().length === 0) {
        current.selfAudioOnly = true;
        showNotice("audio_only_self");
      }
      el.self.srcObject = stream;
    }
    root.dataset.selfVideo = stream && stream.getVideoTracks().length ? "yes" : "no";
    return stream;
  }

  // The mids of the offer's m-lines of one kind, in the order of the offer.
  function midsOf(sdp, kind) {
    const mids = [];
    let current = null;
    for (const line of sdp.split(/\r?\n/)) {
      if (line.startsWith("m=")) current = line.slice(2).split(" ")[0];
      else if (line.startsWith("a=mid:") && current === kind) mids.push(line.slice(6).trim());
    }
    return mids;
  }

  async function onOffer(message) {
    const current = call;
    if (!current || message.call_id !== current.id) return;
    if (!(message.attempt > current.attempt)) return; // an older or repeated offer
    current.attempt = message.attempt;
    const attempt = message.attempt;
    // A new attempt: the kiosk lost the link and starts again (aiortc has no ICE restart). The
    // call goes on; only its connection is new.
    if (current.pc) closeConnection(current);
    if (current.state === "connected") setCallState(current, "reconnecting");
    const stream = await current.media;
    if (call !== current || current.attempt !== attempt) return;
    const pc = new RTCPeerConnection({ iceServers: current.iceServers });
    current.pc = pc;
    current.videoMids = midsOf(message.sdp, "video");
    pc.addEventListener("track", (event) => onTrack(current, pc, event));
    pc.addEventListener("connectionstatechange", () => onLinkState(current, pc));
    pc.addEventListener("iceconnectionstatechange", () => onLinkState(current, pc));
    await pc.setRemoteDescription({ type: "offer", sdp: message.sdp });
    if (stream) {
      // After the offer: each track takes the first transceiver of its kind (audio, then the
      // camera's video), so the kiosk sees and hears the agent on the m-lines it offered.
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    await gatheringComplete(pc);
    if (call !== current || current.pc !== pc) return; // replaced or ended meanwhile
    send(
      { type: "answer", call_id: current.id, sdp: pc.localDescription.sdp, attempt },
      { keep: true },
    );
    watchKioskVideo(current);
  }

  function gatheringComplete(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, GATHERING_WITHIN_MS);
      function done() {
        clearTimeout(timer);
        pc.removeEventListener("icegatheringstatechange", check);
        pc.removeEventListener("icecandidate", last);
        resolve();
      }
      function check() {
        if (pc.iceGatheringState === "complete") done();
      }
      function last(event) {
        if (!event.candidate) done();
      }
      pc.addEventListener("icegatheringstatechange", check);
      pc.addEventListener("icecandidate", last);
    });
  }

  function onTrack(current, pc, event) {
    if (call !== current || current.pc !== pc) return;
    const track = event.track;
    if (track.kind === "audio") {
      el.audio.srcObject = new MediaStream([track]);
      el.audio.play().catch(() => {});
      return;
    }
    const mid = event.transceiver ? event.transceiver.mid : null;
    let index = mid === null ? -1 : current.videoMids.indexOf(mid);
    if (index < 0) {
      // No mid to go by: the transceivers' own order is the offer's order.
      index = pc
        .getTransceivers()
        .filter((transceiver) => transceiver.receiver.track.kind === "video")
        .indexOf(event.transceiver);
    }
    const target = index === 1 ? el.screen : el.camera;
    if (index === 1) current.screen = { track, mid };
    else current.camera = { track, mid };
    target.srcObject = new MediaStream([track]);
    target.play().catch(() => {});
  }

  // The kiosk's camera must show within a few seconds of the answer, else the agent is told.
  function watchKioskVideo(current) {
    clearTimeout(current.videoTimer);
    current.videoTimer = setTimeout(() => {
      if (call !== current) return;
      if (el.camera.videoWidth > 0) return;
      root.dataset.kioskVideo = "no";
      showNotice("audio_only_kiosk");
    }, KIOSK_VIDEO_WITHIN_MS);
  }

  el.camera.addEventListener("loadeddata", () => {
    if (!call) return;
    root.dataset.kioskVideo = "yes";
    hideNotice("audio_only_kiosk");
  });

  // One "disconnected" is not the end (Chrome says it on one lost consent check): the page shows
  // that it is reconnecting and waits, for the link to come back or for the kiosk's next offer.
  // Only the center ends a call (`ended`), or the agent.
  function onLinkState(current, pc) {
    if (call !== current || current.pc !== pc) return;
    const state = pc.connectionState || pc.iceConnectionState;
    if (state === "connected" || state === "completed") setCallState(current, "connected");
    else if (state !== "new" && state !== "connecting" && state !== "checking") {
      // disconnected, failed, or closed by the kiosk's side
      if (current.state === "connected") setCallState(current, "reconnecting");
    }
  }

  function setCallState(current, state) {
    current.state = state;
    showStatus(state);
  }

  function closeConnection(current) {
    const pc = current.pc;
    current.pc = null;
    current.camera = null;
    current.screen = null;
    clearTimeout(current.videoTimer);
    if (pc) pc.close();
    el.camera.srcObject = null;
    el.screen.srcObject = null;
    el.audio.srcObject = null;
  }

  function endCall(reason) {
    const current = call;
    if (!current) return;
    call = null;
    closeConnection(current);
    if (current.stream) current.stream.getTracks().forEach((track) => track.stop());
    el.self.srcObject = null;
    delete root.dataset.kioskVideo;
    delete root.dataset.selfVideo;
    for (const item of pendingPushes.splice(0)) item.remove();
    showStatus("ended", say("ended_" + reason) || reason);
    hideNotice();
    renderQueue();
    refreshControls();
  }

  el.hangUp.addEventListener("click", () => {
    if (!call) return;
    send({ type: "hang_up", call_id: call.id }, { keep: true });
    endCall("staff");
  });

  // -- status, notices, controls -----------------------------------------------------------------

  function showStatus(state, text) {
    root.dataset.state = state;
    el.status.dataset.state = state;
    el.status.textContent = text || say("call_" + state);
  }

  // What the agent must know about the call, one line each (audio only, no microphone, the
  // center's refusal), by key: `data-notices` lists the keys shown.
  const notices = new Map();

  function showNotice(key, text) {
    notices.set(key, text || say(key));
    renderNotices();
  }

  function hideNotice(key) {
    if (key === undefined) notices.clear();
    else notices.delete(key);
    renderNotices();
  }

  function renderNotices() {
    el.notice.replaceChildren(
      ...Array.from(notices.values(), (text) => {
        const line = document.createElement("span");
        line.textContent = text;
        return line;
      }),
    );
    el.notice.dataset.notices = Array.from(notices.keys()).join(" ");
    el.notice.hidden = notices.size === 0;
  }

  function refreshControls() {
    const online = Boolean(socket && socket.readyState === WebSocket.OPEN);
    el.hangUp.disabled = !call;
    for (const button of pushButtons) button.disabled = !call || !online;
    el.note.disabled = !noteCallId;
    el.saveNote.disabled = !noteCallId;
    el.lookup.disabled = !noteCallId;
  }

  // -- pushing help to the kiosk -----------------------------------------------------------------

  for (const button of pushButtons) {
    button.addEventListener("click", () => {
      if (!call) return;
      const kind = button.dataset.push;
      const message = { type: "push", call_id: call.id, kind };
      let what = button.textContent;
      if (kind === "open_screen") {
        message.screen = el.pushScreen.value;
        what += ": " + screenName(message.screen);
      } else {
        const input = kind === "message" ? el.pushMessage : el.pushNotice;
        const text = input.value.trim();
        if (!text) {
          input.focus();
          return;
        }
        message.text = text;
        what += ": " + text;
      }
      if (!send(message)) return;
      const li = document.createElement("li");
      li.dataset.kind = kind;
      li.dataset.state = "pending";
      li.dataset.what = what;
      li.textContent = what + " — " + say("push_pending");
      el.pushResults.prepend(li);
      pendingPushes.push(li);
    });
  }

  // The staff `push` carries no id of its own, so a result is matched to the oldest push still
  // waiting (the kiosk answers them in the order they came).
  function onPushDone(message) {
    if (!call || message.call_id !== call.id) return;
    const li = pendingPushes.shift();
    if (!li) return;
    li.dataset.state = message.ok ? "ok" : "failed";
    li.dataset.pushId = message.push_id;
    const detail = message.detail ? " (" + message.detail + ")" : "";
    li.textContent = li.dataset.what + " — " + say(message.ok ? "push_ok" : "push_failed") + detail;
  }

  // -- the note and the payment look-up (the center's helpers; the note is a form, its CSRF
  // token in the `csrf` field as in every console form) ---------------------------------------

  el.saveNote.addEventListener("click", async () => {
    if (!noteCallId) return;
    el.saveNote.disabled = true;
    el.noteStatus.dataset.state = "saving";
    el.noteStatus.textContent = "";
    try {
      const answer = await fetch("/staff/calls/" + encodeURIComponent(noteCallId) + "/note", {
        method: "POST",
        credentials: "same-origin",
        body: new URLSearchParams({ note: el.note.value, csrf: root.dataset.csrf }),
      });
      el.noteStatus.dataset.state = answer.ok ? "saved" : "failed";
      el.noteStatus.textContent = say(answer.ok ? "note_saved" : "note_failed");
    } catch (_error) {
      el.noteStatus.dataset.state = "failed";
      el.noteStatus.textContent = say("note_failed");
    } finally {
      refreshControls();
    }
  });

  async function lookUp() {
    const reference = el.reference.value.trim();
    if (!noteCallId || !reference) return;
    el.lookupResult.hidden = true;
    el.lookupStatus.textContent = "";
    el.lookupStatus.dataset.state = "asking";
    const url =
      "/staff/calls/" + encodeURIComponent(noteCallId) + "/payment?reference=" +
      encodeURIComponent(reference);
    try {
      const answer = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (answer.status === 404) {
        el.lookupStatus.dataset.state = "not_found";
        el.lookupStatus.textContent = say("payment_not_found");
        return;
      }
      if (!answer.ok) throw new Error(String(answer.status));
      const payment = await answer.json();
      $("lookup-state").textContent = payment.state ?? "";
      $("lookup-amount").textContent = payment.amount ?? "";
      $("lookup-account").textContent = payment.account_masked ?? "";
      $("lookup-created").textContent = payment.created_at ?? "";
      $("lookup-updated").textContent = payment.updated_at ?? "";
      el.lookupResult.hidden = false;
      el.lookupStatus.dataset.state = "found";
    } catch (_error) {
      el.lookupStatus.dataset.state = "failed";
      el.lookupStatus.textContent = say("lookup_failed");
    }
  }

  el.lookup.addEventListener("click", lookUp);
  el.reference.addEventListener("keydown", (event) => {
    if (event.key === "Enter") lookUp();
  });

  // -- counters for tests ------------------------------------------------------------------------

  // {camera_frames, screen_frames, audio_bytes_received, state}: frames decoded on the kiosk's
  // camera and screen tracks (told apart as the page shows them), bytes of its audio received.
  window.callStats = async () => {
    const counts = {
      camera_frames: 0,
      screen_frames: 0,
      audio_bytes_received: 0,
      state: root.dataset.state,
    };
    const current = call;
    if (!current || !current.pc) return counts;
    const report = await current.pc.getStats();
    report.forEach((stat) => {
      if (stat.type !== "inbound-rtp") return;
      const kind = stat.kind || stat.mediaType;
      if (kind === "audio") {
        counts.audio_bytes_received += stat.bytesReceived || 0;
        return;
      }
      if (kind !== "video") return;
      const frames = stat.framesDecoded || 0;
      const is = (shown) =>
        shown &&
        ((stat.mid !== undefined && stat.mid === shown.mid) ||
          (stat.trackIdentifier !== undefined && stat.trackIdentifier === shown.track.id));
      if (is(current.camera)) counts.camera_frames += frames;
      else if (is(current.screen)) counts.screen_frames += frames;
    });
    return counts;
  };

  setInterval(tickQueue, 1000);
  showStatus("idle");
  refreshControls();
  connect();
})();
