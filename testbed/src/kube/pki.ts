import { generateKeyPairSync, webcrypto } from 'node:crypto';

// @peculiar/x509 resolves its crypto provider through tsyringe, which needs this polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// The testbed's own PKI: one CA for serving certificates and client certificates,
// generated at every start (nothing secret is kept between runs).
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG: EcKeyGenParams & EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 24 * 3600 * 1000;

export interface Pem {
  cert: string;
  key: string;
}

export interface CertificateAuthority extends Pem {
  sign(params: {
    commonName: string;
    organizations?: string[];
    serverNames?: { dns: string[]; ip: string[] };
    client?: boolean;
  }): Promise<Pem>;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

const newKeys = () => webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  const keys = await newKeys();
  const notBefore = new Date(Date.now() - DAY);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${commonName}`,
    keys,
    notBefore,
    notAfter: new Date(Date.now() + 30 * DAY),
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    cert: caCert.toString('pem'),
    key: await keyPem(keys.privateKey),
    async sign({ commonName: cn, organizations = [], serverNames, client = false }) {
      const leaf = await newKeys();
      // Kubernetes reads the user from CN and each O attribute as one group.
      const subject: x509.JsonName = [{ CN: [cn] }, ...organizations.map((o) => ({ O: [o] }))];
      const usages = [...(client ? [x509.ExtendedKeyUsage.clientAuth] : []), ...(serverNames ? [x509.ExtendedKeyUsage.serverAuth] : [])];
      const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension(usages),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      ];
      if (serverNames) {
        extensions.push(
          new x509.SubjectAlternativeNameExtension([
            ...serverNames.dns.map((value) => ({ type: 'dns' as const, value })),
            ...serverNames.ip.map((value) => ({ type: 'ip' as const, value })),
          ]),
        );
      }
      const cert = await x509.X509CertificateGenerator.create({
        subject,
        issuer: caCert.subject,
        publicKey: leaf.publicKey,
        signingKey: keys.privateKey,
        notBefore,
        notAfter: new Date(Date.now() + 30 * DAY),
        signingAlgorithm: ALG,
        extensions,
      });
      return { cert: cert.toString('pem'), key: await keyPem(leaf.privateKey) };
    },
  };
}

/** The key pair kube-apiserver signs and verifies service-account tokens with. */
export function serviceAccountKeyPair(): Pem & { publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    cert: '',
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
