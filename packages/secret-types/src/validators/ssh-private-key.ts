import { pemBlock } from "../pem.js";
import { accept, refuse } from "../result.js";
import type { SecretTypeDefinition } from "../types.js";

const MAGIC = "openssh-key-v1\0";

/** Reads the length-prefixed strings of the OpenSSH key format (PROTOCOL.key) without a crypto library. */
function reader(der: Uint8Array) {
  let at = MAGIC.length;
  return {
    u32() {
      if (at + 4 > der.length) throw new Error("short");
      const v = ((der[at]! << 24) | (der[at + 1]! << 16) | (der[at + 2]! << 8) | der[at + 3]!) >>> 0;
      at += 4;
      return v;
    },
    bytes(): Uint8Array {
      const n = this.u32();
      if (at + n > der.length) throw new Error("short");
      const out = der.subarray(at, at + n);
      at += n;
      return out;
    },
  };
}

/** Bytes as Latin-1 text; a loop, not fromCharCode(...b), which overflows the stack on a long string (then misreported as truncated). */
const text = (b: Uint8Array) => {
  let out = "";
  for (let i = 0; i < b.length; i += 0x2000) out += String.fromCharCode(...b.subarray(i, i + 0x2000));
  return out;
};

/** A cipher or key type name as OpenSSH writes them (none, aes256-ctr, ssh-ed25519, sk-ssh-ed25519@openssh.com). */
const NAME = /^[\x21-\x7e]{1,64}$/;

export const sshPrivateKey: SecretTypeDefinition = {
  name: "ssh-private-key",
  describe: "An SSH private key in the OpenSSH format (-----BEGIN OPENSSH PRIVATE KEY-----)",
  validate(value) {
    const block = pemBlock(value);
    if (!block || block.label !== "OPENSSH PRIVATE KEY") return refuse("must be one -----BEGIN OPENSSH PRIVATE KEY----- block (convert others with ssh-keygen -p -f KEY)");
    if (text(block.der.subarray(0, MAGIC.length)) !== MAGIC) return refuse("the body is not an openssh-key-v1 key");
    try {
      const r = reader(block.der);
      const cipher = text(r.bytes());
      if (!NAME.test(cipher)) return refuse("the openssh-key-v1 body names no cipher");
      r.bytes(); // kdf name
      r.bytes(); // kdf options
      if (r.u32() < 1) return refuse("holds no key");
      const publicKey = r.bytes();
      const keyType = text(reader(new Uint8Array([...new TextEncoder().encode(MAGIC), ...publicKey])).bytes());
      // The key type becomes clear-text metadata: only a name, never whatever bytes a malformed body holds there.
      if (!NAME.test(keyType)) return refuse("the openssh-key-v1 body names no key type");
      return accept({ keyAlgorithm: keyType, encrypted: cipher !== "none" });
    } catch {
      return refuse("the openssh-key-v1 body is truncated");
    }
  },
};
