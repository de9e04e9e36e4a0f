//! The stack lock on the emulator: one holder at a time, a forced unlock, and a release that
//! never removes someone else's lock.

mod common;

use fgl_aws::ssm::lock::{acquire, release_own, Holder};
use fgl_aws::LockError;

fn holder(who: &str) -> Holder {
    Holder {
        who: who.to_string(),
        operation: "apply".into(),
        since: 1_700_000_000,
    }
}

#[tokio::test]
async fn the_lock_has_one_holder_and_is_released_only_by_it() {
    let emu = common::start().await;
    let c = emu.provider.clients();
    let (ana, bo) = (holder("ana"), holder("bo"));

    acquire(c, "shop", &ana, false).await.expect("free lock");
    // The SDK retrying ana's own put finds ana's lock: taken, not "held by ana".
    acquire(c, "shop", &ana, false)
        .await
        .expect("ana's own lock");
    match acquire(c, "shop", &bo, false).await {
        Err(LockError::Held { holder: Ok(h) }) => assert_eq!(h, ana),
        other => panic!("expected held by ana, got {other:?}"),
    }
    // Bo breaks it; ana's release afterwards leaves bo's lock in place.
    acquire(c, "shop", &bo, true).await.expect("forced");
    let err = release_own(c, "shop", &ana).await.unwrap_err();
    assert_eq!(
        err.message,
        "the lock /fgl/shop/lock is now held by bo (apply): left in place"
    );
    match acquire(c, "shop", &ana, false).await {
        Err(LockError::Held { holder: Ok(h) }) => assert_eq!(h, bo),
        other => panic!("expected held by bo, got {other:?}"),
    }
    release_own(c, "shop", &bo).await.expect("bo's release");
    // Released: free for anyone, and releasing again is no error.
    release_own(c, "shop", &bo).await.expect("not held");
    acquire(c, "shop", &ana, false).await.expect("free again");
    // Another stack's lock is another parameter.
    acquire(c, "shop-staging", &bo, false)
        .await
        .expect("other stack");
}
