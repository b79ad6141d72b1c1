// Attention for new alerts: a visual ping (panel pulse + toast) and a short WebAudio beep.
import { h } from './dom';

let audio: AudioContext | null = null;

/** Browsers allow sound only after a user gesture: call from a click (signing in, or the sound toggle). */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    audio = null;
  }
}

export function beep(): void {
  if (!audio || audio.state !== 'running') return;
  try {
    const t = audio.currentTime;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t);
    osc.frequency.setValueAtTime(1175, t + 0.09);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.22);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.25);
  } catch {
    /* no audio device: the visual ping is enough */
  }
}

let toasts: HTMLElement | null = null;

export function toast(text: string, kind = 'alert'): void {
  if (!toasts || !toasts.isConnected) {
    toasts = h('div', { class: 'toasts', 'aria-live': 'assertive' });
    document.body.appendChild(toasts);
  }
  const el = h('div', { class: `toast ${kind}`, testid: 'alert-toast', role: 'alert' }, text);
  toasts.prepend(el);
  while (toasts.childElementCount > 4) toasts.lastElementChild!.remove();
  window.setTimeout(() => el.classList.add('leaving'), 6000);
  window.setTimeout(() => el.remove(), 6600);
}

/** Restarts the pulse animation on an element. */
export function pulse(el: HTMLElement): void {
  el.classList.remove('ping');
  void el.offsetWidth;
  el.classList.add('ping');
  el.dataset.pinged = String(Date.now());
}
