//! IPv4 CIDR blocks: the VPC's range and the subnets cut from it.

/// The smallest and largest VPC prefixes fgl accepts: a VPC is cut into 16 subnets, each at
/// least a /28 (AWS's smallest subnet).
pub const MIN_PREFIX: u8 = 16;
pub const MAX_PREFIX: u8 = 24;
/// How many subnets a VPC is cut into (a public and a private one per zone, up to 6 zones).
pub const SUBNETS: u32 = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub addr: u32,
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`, or says what is wrong.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let Some((addr, prefix)) = text.split_once('/') else {
            return Err("it has no `/prefix` (write e.g. `10.0.0.0/16`)".into());
        };
        let octets: Vec<&str> = addr.split('.').collect();
        if octets.len() != 4 {
            return Err(format!("`{addr}` is not an IPv4 address"));
        }
        let mut value: u32 = 0;
        for octet in octets {
            let n: u8 = octet
                .parse()
                .ok()
                .filter(|_| {
                    !octet.is_empty()
                        && octet.len() <= 3
                        && octet.bytes().all(|b| b.is_ascii_digit())
                })
                .ok_or_else(|| format!("`{addr}` is not an IPv4 address"))?;
            value = (value << 8) | u32::from(n);
        }
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= 32 && prefix.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| format!("`/{prefix}` is not a prefix length (0–32)"))?;
        let mask = mask(prefix);
        if value & !mask != 0 {
            let base = Cidr {
                addr: value & mask,
                prefix,
            };
            return Err(format!(
                "its host bits are not zero (did you mean `{base}`?)"
            ));
        }
        Ok(Cidr {
            addr: value,
            prefix,
        })
    }

    /// Subnet `index` of the [`SUBNETS`] equal parts (`index < SUBNETS`).
    pub fn subnet(self, index: u32) -> Cidr {
        let prefix = self.prefix + 4;
        let size = 1u32 << (32 - u32::from(prefix));
        Cidr {
            addr: self.addr.wrapping_add(size.wrapping_mul(index % SUBNETS)),
            prefix,
        }
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [a, b, c, d] = self.addr.to_be_bytes();
        write!(f, "{a}.{b}.{c}.{d}/{}", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_cuts() {
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        assert_eq!(vpc.subnet(0).to_string(), "10.0.0.0/20");
        assert_eq!(vpc.subnet(1).to_string(), "10.0.16.0/20");
        assert_eq!(vpc.subnet(15).to_string(), "10.0.240.0/20");
        let small = Cidr::parse("192.168.4.0/24").unwrap();
        assert_eq!(small.subnet(15).to_string(), "192.168.4.240/28");
        assert!(Cidr::parse("10.0.0.1/16")
            .unwrap_err()
            .contains("10.0.0.0/16"));
        assert!(Cidr::parse("10.0.0/16").is_err());
        assert!(Cidr::parse("10.0.0.0").is_err());
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("300.0.0.0/16").is_err());
    }
}
