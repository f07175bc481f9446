/* The camera as a scanner: a phone's or a webcam's picture, read for a QR code a few times a
 * second, with the browser's own reader where there is one, else the vendored jsQR (fetched
 * only when first needed). The first code read closes the camera and is handed over, as a
 * USB scanner's Enter would hand it over. */
import { $ } from "./render.js";

const FRAME_MS = 150;
let open = null; // {stream, timer} while the camera is on

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

/** The browser's own QR reader where there is one, else jsQR, fetched only now. */
async function qrReader() {
  if ("BarcodeDetector" in window) {
    const formats = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
    if (formats.includes("qr_code")) {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return async (video) => ((await detector.detect(video))[0] || {}).rawValue || null;
    }
  }
  if (!window.jsQR) await loadScript("/static/vendor/jsQR.js");
  return frameReader();
}

function frameReader() {
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    const scale = Math.min(1, 640 / (video.videoWidth || 1));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    if (!canvas.width || !canvas.height) return null;
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const options = { inversionAttempts: "attemptBoth" };
    const code = window.jsQR(image.data, image.width, image.height, options);
    return code ? code.data : null;
  };
}

export function isCameraOpen() {
  return open !== null;
}

/** Open the camera; ``onRead(text)`` gets the first code read, ``onFail()`` a camera refused. */
export async function openCamera(onRead, onFail) {
  if (open) return;
  $("camera").hidden = false;
  const camera = { stream: null, timer: null };
  open = camera;
  try {
    camera.stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment" }, audio: false,
    });
    const video = $("camera-video");
    video.srcObject = camera.stream;
    await video.play();
    watch(camera, video, await qrReader(), onRead);
  } catch (_) {
    closeCamera();
    onFail();
  }
}

function watch(camera, video, read, onRead) {
  const tick = async () => {
    if (open !== camera) return;
    const text = await read(video).catch(() => null);
    if (text && open === camera) {
      closeCamera();
      onRead(text);
      return;
    }
    camera.timer = setTimeout(tick, FRAME_MS);
  };
  tick();
}

export function closeCamera() {
  const camera = open;
  open = null;
  $("camera").hidden = true;
  if (!camera) return;
  clearTimeout(camera.timer);
  if (camera.stream) camera.stream.getTracks().forEach((track) => track.stop());
  $("camera-video").srcObject = null;
}
