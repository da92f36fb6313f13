/**
 * Opening a WebGPU device for TensorFlow.js's webgpu backend, the same way in Node (Dawn, the
 * `webgpu` package) and in a browser (`navigator.gpu`): request an adapter, describe it (and
 * whether it is a software one), then request a device with the adapter's own limits, as
 * tfjs-backend-webgpu's own factory does (its defaults cap buffers at 128 MiB). Each way this
 * can fail comes back as a value, so that the platform names it in its own words: an error for
 * a backend asked for by name, a note for `auto`.
 *
 * The WebGPU objects are typed here by the little this module uses, so that the core needs no
 * WebGPU type package.
 */

/** The part of `GPU` (navigator.gpu, Dawn's create()) used here. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapterLike | null>;
}

/** The part of `GPUAdapter` used here. */
export interface GpuAdapterLike {
  readonly features: { has(name: string): boolean };
  readonly limits: object;
  /** GPUAdapterInfo; `isFallbackAdapter` moved here from the adapter in newer implementations. */
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  requestDevice(descriptor?: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<unknown>;
}

/** An adapter as BackendInfo.adapter reports it (core/runtime.ts GpuAdapterInfo). */
export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  software: boolean;
}

/** What opening a device came to. */
export type WebGpuOutcome =
  | { kind: 'ready'; device: unknown; adapter: GpuAdapterLike; info: AdapterDescription }
  | { kind: 'no-adapter'; reason: string }
  /** Only when asked for a hardware adapter: the one found computes on the CPU. */
  | { kind: 'software'; info: AdapterDescription }
  | { kind: 'refused'; info: AdapterDescription; reason: string };

/** CPU implementations of WebGPU/Vulkan/D3D: correct, and slower than wasm for this work. */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|basic render driver/i;

/** The adapter's info, and whether it is a software one (a fallback adapter, or named like one). */
export function describeAdapter(adapter: GpuAdapterLike): AdapterDescription {
  const info = adapter.info ?? {};
  const text = (s: string | undefined) => (typeof s === 'string' ? s : '');
  const vendor = text(info.vendor);
  const architecture = text(info.architecture);
  const device = text(info.device);
  const description = text(info.description);
  const fallback = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  const software = fallback || SOFTWARE_NAMES.test([vendor, architecture, device, description].join(' '));
  return { vendor, architecture, device, description, software };
}

/** `nvidia (ampere, NVIDIA GeForce RTX 3080)`, `google (swiftshader, software)`: for messages. */
export function formatAdapter(info: AdapterDescription): string {
  const details = [info.architecture, info.description || info.device, info.software ? 'software' : ''].filter((s) => s !== '');
  return `${info.vendor || 'unknown vendor'}${details.length ? ` (${details.join(', ')})` : ''}`;
}

/**
 * Requests a high-performance adapter and a device on it. `hardwareOnly` (for `auto`): a
 * software adapter is reported as such, without a device.
 */
export async function openWebGpuDevice(gpu: GpuLike, options: { hardwareOnly: boolean }): Promise<WebGpuOutcome> {
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { kind: 'no-adapter', reason: firstLine(err) };
  }
  if (!adapter) return { kind: 'no-adapter', reason: 'requestAdapter() found none' };
  const info = describeAdapter(adapter);
  if (options.hardwareOnly && info.software) return { kind: 'software', info };
  try {
    const device = await adapter.requestDevice(deviceDescriptor(adapter));
    if (!device) return { kind: 'refused', info, reason: 'requestDevice() gave no device' };
    return { kind: 'ready', device, adapter, info };
  } catch (err) {
    return { kind: 'refused', info, reason: firstLine(err) };
  }
}

/** The features and limits tfjs-backend-webgpu asks for: the adapter's maxima, so big tensors fit. */
function deviceDescriptor(adapter: GpuAdapterLike): { requiredFeatures: string[]; requiredLimits: Record<string, number> } {
  const requiredFeatures = ['timestamp-query'].filter((f) => adapter.features.has(f));
  const limits = adapter.limits as Record<string, number | undefined>;
  const requiredLimits: Record<string, number> = {};
  for (const name of [
    'maxComputeWorkgroupStorageSize',
    'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupSizeX',
    'maxComputeInvocationsPerWorkgroup',
  ]) {
    const value = limits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  return { requiredFeatures, requiredLimits };
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}
